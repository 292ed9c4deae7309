using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace Atende.Browser.Tests;

/// <summary>
/// How the journeys wait for a navigation: until the page's address matches, nothing else. Playwright's WaitForURL waits
/// for a load event too, even with WaitUntil = Commit when the address already matched as it was called (it then waits
/// for "load" of the current document); twice on a loaded CI machine that event was not seen within the timeout after the
/// page had arrived (network idle fired). Every step after a navigation waits for the elements it uses, so the address is
/// all a journey needs to know.
/// </summary>
public static class Loaded
{
    /// <summary>Waits (the expect timeout) until the address matches <paramref name="glob"/>: ** any text, * any text
    /// without '/', everything else literal ('?' included, so "**/agenda?**" means a query string).</summary>
    public static Task WaitForAddressAsync(this IPage page, string glob) =>
        Assertions.Expect(page).ToHaveURLAsync(GlobRegex(glob));

    internal static Regex GlobRegex(string glob)
    {
        var pattern = new StringBuilder("^");
        for (var i = 0; i < glob.Length; i++)
        {
            if (glob[i] != '*') { pattern.Append(Regex.Escape(glob[i].ToString())); continue; }
            var any = i + 1 < glob.Length && glob[i + 1] == '*';
            pattern.Append(any ? ".*" : "[^/]*");
            if (any) { i++; }
        }
        return new Regex(pattern.Append('$').ToString());
    }
}
