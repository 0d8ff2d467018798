using System.Buffers.Binary;
using TritonMesos.Report.Git;

namespace TritonMesos.Report.Tests;

public sealed class HtmlRenderTests : IClassFixture<ReportTests.Generated>
{
    private readonly ReportTests.Generated _g;

    public HtmlRenderTests(ReportTests.Generated generated) => _g = generated;

    private static string? Chromium() =>
        new[] { "/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome" }.FirstOrDefault(File.Exists);

    [SkippableFact]
    public async Task Report_renders_in_headless_chromium()
    {
        var chromium = Chromium();
        Skip.If(chromium is null, "chromium is not installed (apt-get install -y chromium); the HTML is still validated as XML by ReportTests");
        var png = Path.Combine(_g.Fixture.Directory, "report.png");
        var html = new Uri(Path.Combine(_g.Output, "report.html")).AbsoluteUri;
        var run = await CliWrap.Cli.Wrap(chromium!)
            .WithArguments(["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--no-first-run", "--hide-scrollbars", $"--user-data-dir={Path.Combine(_g.Fixture.Directory, "chromium")}",
                $"--screenshot={png}", "--window-size=1200,800", html])
            .WithValidation(CliWrap.CommandResultValidation.None)
            .ExecuteAsync(new CancellationTokenSource(TimeSpan.FromMinutes(4)).Token);
        Assert.True(File.Exists(png), $"chromium exited {run.ExitCode} without writing {png}");
        var bytes = await File.ReadAllBytesAsync(png);
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], bytes[..4]);
        Assert.Equal(1200, BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(16, 4)));
        Assert.Equal(800, BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(20, 4)));
        Assert.True(bytes.Length > 10_000, $"the screenshot is only {bytes.Length} bytes: blank page?");
    }
}
