namespace Atende.Web.Tests.Infrastructure;

/// <summary>Valid, random CPFs so tests sharing a database never collide on duplicate codes.</summary>
public static class Documents
{
    public static string RandomCpf()
    {
        while (true)
        {
            var digits = Enumerable.Range(0, 9).Select(_ => Random.Shared.Next(10)).ToList();
            if (digits.Distinct().Count() == 1)
            {
                continue;
            }
            digits.Add(Check(digits, 10));
            digits.Add(Check(digits, 11));
            var s = string.Concat(digits);
            return $"{s[..3]}.{s[3..6]}.{s[6..9]}-{s[9..]}";
        }
    }

    private static int Check(List<int> digits, int weight)
    {
        var sum = 0;
        for (var i = 0; i < weight - 1; i++)
        {
            sum += digits[i] * (weight - i);
        }
        var rest = sum % 11;
        return rest < 2 ? 0 : 11 - rest;
    }
}
