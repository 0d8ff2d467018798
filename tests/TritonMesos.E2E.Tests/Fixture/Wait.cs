namespace TritonMesos.E2E.Tests.Fixture;

/// <summary>Bounded polling: every wait in this suite has a deadline and says what it was waiting for.</summary>
public static class Wait
{
    /// <summary>Polls <paramref name="probe"/> until it returns a value, or throws a TimeoutException naming <paramref name="what"/>.</summary>
    public static async Task<T> ForAsync<T>(string what, TimeSpan timeout, Func<Task<T?>> probe, TimeSpan? interval = null, Func<string>? lastSeen = null)
        where T : class
    {
        var deadline = DateTime.UtcNow + timeout;
        Exception? lastError = null;
        while (true)
        {
            try
            {
                var value = await probe();
                if (value is not null)
                    return value;
            }
            catch (Exception e) when (e is not TimeoutException and not Xunit.SkipException and not FatalWaitException)
            {
                lastError = e;
            }
            if (DateTime.UtcNow >= deadline)
                throw new TimeoutException($"timed out after {timeout.TotalSeconds:0} s waiting for {what}"
                    + (lastSeen is null ? "" : "; last seen: " + lastSeen())
                    + (lastError is null ? "" : "; last error: " + lastError.Message));
            await Task.Delay(interval ?? TimeSpan.FromSeconds(1));
        }
    }

    /// <summary>Polls a condition until it holds, or throws a TimeoutException naming <paramref name="what"/>.</summary>
    public static Task UntilAsync(string what, TimeSpan timeout, Func<Task<bool>> condition, TimeSpan? interval = null, Func<string>? lastSeen = null) =>
        ForAsync<object>(what, timeout, async () => await condition() ? new object() : null, interval, lastSeen);
}

/// <summary>Thrown by a wait probe when waiting longer cannot help (e.g. the container it waits for has exited).</summary>
public sealed class FatalWaitException(string message) : Exception(message);
