namespace Atende.Web.Tests.Infrastructure;

/// <summary>Disposes a process still starting when the test fails before it is awaited.</summary>
public sealed class Later<T>(Task<T> task) : IAsyncDisposable where T : IAsyncDisposable
{
    public async ValueTask DisposeAsync()
    {
        try
        {
            await (await task).DisposeAsync();
        }
        catch (Exception) when (!task.IsCompletedSuccessfully)
        {
            // It never started; its own failure is what the test reports.
        }
    }
}
