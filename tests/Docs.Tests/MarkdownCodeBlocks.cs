using System.Text.RegularExpressions;

namespace SimHost.Tests.Docs;

/// <summary>One fenced code block of a Markdown file: its language, its text and the line it starts on.</summary>
internal sealed record MarkdownCodeBlock(string Language, string Code, int Line);

/// <summary>Reads the fenced code blocks of a Markdown file, in order.</summary>
internal static partial class MarkdownCodeBlocks
{
    /// <summary>The blocks of <paramref name="markdown"/> whose info string starts with <paramref name="language"/>.</summary>
    public static IReadOnlyList<MarkdownCodeBlock> Read(string markdown, string language)
    {
        var blocks = new List<MarkdownCodeBlock>();
        var lines = markdown.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var open = Fence().Match(lines[i]);
            if (!open.Success)
            {
                continue;
            }

            var info = open.Groups["info"].Value.Trim();
            var start = i + 1;
            var end = start;
            while (end < lines.Length && !lines[end].TrimEnd('\r').StartsWith(open.Groups["fence"].Value, StringComparison.Ordinal))
            {
                end++;
            }

            // "csharp excerpt" marks an outline cut from a file the repository compiles anyway: shown, not compiled.
            var words = info.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (words.Length > 0 && string.Equals(words[0], language, StringComparison.Ordinal) && !words.Contains("excerpt", StringComparer.Ordinal))
            {
                blocks.Add(new MarkdownCodeBlock(info, string.Join('\n', lines[start..end]).Replace("\r", string.Empty, StringComparison.Ordinal), start + 1));
            }

            i = end;
        }

        return blocks;
    }

    [GeneratedRegex(@"^(?<fence>```+)(?<info>[^`]*)$")]
    private static partial Regex Fence();
}
