using TritonMesos.TestSupport;
using Xunit;

namespace TritonMesos.Image.Tests;

/// <summary>The shared subnet chooser the tests and the agent-scale bench take their engines' fabric subnets from.</summary>
public sealed class TestSubnetsTests
{
    [Fact]
    public void A_larger_block_is_aligned_outside_the_24s_and_never_handed_out_twice()
    {
        var first = TestSubnets.Free(21);
        var second = TestSubnets.Free(21);
        var small = TestSubnets.Free();

        Assert.NotEqual(first, second);
        foreach (var block in new[] { first, second })
        {
            Assert.EndsWith("/21", block);
            var octets = block[..block.IndexOf('/')].Split('.').Select(int.Parse).ToArray();
            Assert.Equal([10, 214], octets[..2]);
            Assert.Equal(0, octets[2] % 8);
            Assert.Equal(0, octets[3]);
        }
        Assert.StartsWith("10.213.", small);
        Assert.EndsWith(".0/24", small);
    }

    [Fact]
    public void An_excluded_block_is_skipped_and_a_full_range_is_an_error()
    {
        var block = TestSubnets.Free(20, "10.214.0.0/19");

        Assert.EndsWith("/20", block);
        Assert.False(block.StartsWith("10.214.0.", StringComparison.Ordinal) || block.StartsWith("10.214.16.", StringComparison.Ordinal), block);
        Assert.Throws<InvalidOperationException>(() => TestSubnets.Free(16, "10.214.0.0/16"));
        Assert.Throws<ArgumentOutOfRangeException>(() => TestSubnets.Free(25));
    }
}
