namespace TritonMesos.Endpoint;

/// <summary>
/// A Triton error answer and the rule that produced it. On the wire it is plain text
/// <c>(&lt;RestCode&gt;) &lt;message&gt; (&lt;request-id&gt;)</c>, or <c>&lt;message&gt; (&lt;request-id&gt;)</c> without a rest code.
/// </summary>
public sealed record TritonError(int Status, string? RestCode, string Message, string Rule)
{
    /// <summary>The body sdc-docker's <c>formatErrOrText</c> writes for this error.</summary>
    public string Body(string requestId) =>
        (RestCode is null or "DockerError" ? Message : $"({RestCode}) {Message}") + $" ({requestId})";

    /// <summary>422 <c>(Validation) …</c>.</summary>
    public static TritonError Validation(string message, string rule) => new(422, "Validation", message, rule);

    /// <summary>400 <c>(NotImplemented) &lt;feature&gt; is not implemented</c>.</summary>
    public static TritonError NotImplemented(string feature, string rule) => new(400, "NotImplemented", feature + " is not implemented", rule);

    /// <summary>A plain <c>DockerError</c>/<c>Error</c>: the message printed bare.</summary>
    public static TritonError Plain(int status, string message, string rule) => new(status, null, message, rule);
}
