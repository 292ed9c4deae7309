using Microsoft.Playwright;

namespace Atende.Browser.Tests;

/// <summary>
/// How the journeys wait for a navigation: for the new address only, not the page's load event. Twice on a loaded CI
/// machine the load event was not seen within the timeout after the page had arrived (network idle); every step after a
/// navigation waits for the elements it uses, so the address is all a journey needs to know.
/// </summary>
public static class Loaded
{
    public static PageWaitForURLOptions Address => new() { WaitUntil = WaitUntilState.Commit };
}
