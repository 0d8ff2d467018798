using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace TritonMesos.Image;

/// <summary>
/// A Mesos fault domain (<c>--domain</c>, since Mesos 1.5): a region (for Triton, the data center) and a zone inside it,
/// in Mesos' JSON form <c>{"fault_domain":{"region":{"name":…},"zone":{"name":…}}}</c>.
/// </summary>
public sealed partial record FaultDomain(string Region, string Zone)
{
    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9._-]{0,62}\z")]
    private static partial Regex NamePattern();

    /// <summary>Parses a <c>--domain</c> value; on failure returns null and says what is wrong in <paramref name="problem"/>.</summary>
    public static FaultDomain? TryParse(string value, out string? problem)
    {
        problem = null;
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(value);
        }
        catch (JsonException e)
        {
            problem = $"not JSON ({e.Message}); expected {Example}";
            return null;
        }
        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("fault_domain", out var fault) || fault.ValueKind != JsonValueKind.Object)
            {
                problem = "expected an object with the key \"fault_domain\": " + Example;
                return null;
            }
            var extra = root.EnumerateObject().Select(p => p.Name).Concat(fault.EnumerateObject().Select(p => p.Name))
                .Where(n => n is not ("fault_domain" or "region" or "zone")).ToList();
            if (extra.Count > 0)
            {
                problem = $"unknown key{(extra.Count > 1 ? "s" : "")} {string.Join(", ", extra.Select(k => $"\"{k}\""))}; expected {Example}";
                return null;
            }
            var region = Name(fault, "region");
            var zone = Name(fault, "zone");
            problem = (region, zone) switch
            {
                ("", "") => "both the region and the zone name are empty: set both, or leave --domain out",
                ("", _) => $"a zone ('{zone}') without a region: the region name is empty",
                (_, "") => $"a region ('{region}') without a zone: the zone name is empty",
                _ => CheckName("region", region) ?? CheckName("zone", zone),
            };
            return problem is null ? new FaultDomain(region, zone) : null;
        }
    }

    /// <summary>An example value for error messages.</summary>
    public const string Example = """{"fault_domain":{"region":{"name":"us-east-1"},"zone":{"name":"us-east-1a"}}}""";

    private static string Name(JsonElement fault, string key) =>
        fault.TryGetProperty(key, out var level) && level.ValueKind == JsonValueKind.Object
        && level.TryGetProperty("name", out var name) && name.ValueKind == JsonValueKind.String
            ? name.GetString()!
            : "";

    private static string? CheckName(string what, string name) =>
        NamePattern().IsMatch(name)
            ? null
            : $"{what} name '{Printable(name)}' must be 1-63 letters, digits, '.', '_' or '-', starting with a letter or digit";

    private static string Printable(string s)
    {
        var text = new StringBuilder();
        foreach (var c in s)
            text.Append(char.IsControl(c) ? $"\\u{(int)c:x4}" : c);
        return text.ToString();
    }
}
