using Atende.Core.Pipelines;
using Xunit;

namespace Atende.Core.Tests.Pipelines;

public sealed class TagColorsTests
{
    /// <summary>Every colour of a coarse sweep of the sRGB cube, plus the palette new tags get.</summary>
    private static List<string> Sweep()
    {
        var data = new List<string>();
        int[] steps = [0, 34, 68, 102, 136, 170, 204, 238, 255];
        foreach (var r in steps)
        {
            foreach (var g in steps)
            {
                foreach (var b in steps)
                {
                    data.Add($"#{r:x2}{g:x2}{b:x2}");
                }
            }
        }
        foreach (var color in PipelineService.Palette)
        {
            data.Add(color);
        }
        return data;
    }

    [Fact]
    public void A_chip_reads_at_AA_whatever_its_colour()
    {
        var failures = new List<string>();
        foreach (var color in Sweep())
        {
            var text = TagColors.TextOnTint(color);
            foreach (var share in new[] { 0.12, TagColors.HoverTint })
            {
                var ratio = TagColors.Contrast(text, TagColors.Tint(color, share));
                if (ratio < 4.5)
                {
                    failures.Add($"{text} on the {share:P0} tint of {color}: {ratio:0.00}:1");
                }
            }
            var solid = TagColors.TextOnSolid(color);
            if (TagColors.Contrast(solid, color) < 4.5)
            {
                failures.Add($"{solid} on {color}: {TagColors.Contrast(solid, color):0.00}:1");
            }
        }
        Assert.Empty(failures);
    }

    [Fact]
    public void Em_andamento_orange_gets_a_darker_orange_and_dark_text_when_selected()
    {
        // The default pipeline's "Em andamento" (#fd7e14) read at 2.3:1 on its tint.
        Assert.True(TagColors.Contrast("#fd7e14", TagColors.Tint("#fd7e14", 0.12)) < 3);
        var text = TagColors.TextOnTint("#fd7e14");
        Assert.NotEqual("#000000", text);
        Assert.Matches("^#[0-9a-f]{6}$", text);
        var (r, g, b) = (Convert.ToInt32(text[1..3], 16), Convert.ToInt32(text[3..5], 16), Convert.ToInt32(text[5..7], 16));
        Assert.True(r > g && g > b, $"{text} should still be an orange");
        Assert.Equal("#000000", TagColors.TextOnSolid("#fd7e14"));
        Assert.Equal("#000000", TagColors.TextOnSolid("#ffc107"));
        Assert.Equal("#ffffff", TagColors.TextOnSolid("#14213d"));
    }

    [Fact]
    public void A_dark_colour_is_kept_as_it_is()
    {
        Assert.Equal("#14213d", TagColors.TextOnTint("#14213d"));
        Assert.Equal("#212529", TagColors.TextOnTint("#212529"));
    }

    [Fact]
    public void The_style_carries_the_colour_and_both_texts()
    {
        Assert.Equal("--tag-color: #ffc107; --tag-text: " + TagColors.TextOnTint("#ffc107") + "; --tag-on: #000000", TagColors.CssVariables("#FFC107"));
        Assert.StartsWith("--tag-color: #6c757d;", TagColors.CssVariables("not a colour"), StringComparison.Ordinal);
    }
}
