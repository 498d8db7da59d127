using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace SimHost.Tests.Docs;

/// <summary>
/// Every C# block of the docs compiles: blocks that declare types are compiled as files, blocks of statements as the
/// body of a method of their own (their usings hoisted), all of one document in one assembly, so a statement block may
/// use the types another block declares. A doc that shows code cannot show code that does not build.
/// </summary>
[TestFixture]
public sealed class GuideCodeBlockTests
{
    private static readonly string[] s_documents = ["docs/guide.md", "docs/contract.md", "samples/README.md"];

    private static IEnumerable<string> Documents() => s_documents.Where(d => File.Exists(Path.Combine(RepositoryFiles.Root, d)));

    [Test]
    public void TheGuide_Exists_AndShowsCode()
    {
        var blocks = MarkdownCodeBlocks.Read(RepositoryFiles.Read("docs/guide.md"), "csharp");

        Assert.That(blocks, Has.Count.GreaterThan(5));
    }

    [TestCaseSource(nameof(Documents))]
    public void EveryCSharpBlock_Compiles(string document)
    {
        var blocks = MarkdownCodeBlocks.Read(RepositoryFiles.Read(document), "csharp");
        var sources = blocks.Select((block, i) => ($"{document}:{block.Line}", AsCompilationUnit(block.Code, i))).ToArray();
        var output = Path.Combine(Path.GetTempPath(), $"simhost-doc-{Guid.NewGuid():N}.dll");
        try
        {
            SnippetCompiler.Compile(Path.GetFileNameWithoutExtension(output), sources, OutputKind.DynamicallyLinkedLibrary, output);
        }
        finally
        {
            File.Delete(output);
        }
    }

    // Statements become the body of `static async Task Run()` in a class of their own; declarations stay as they are.
    private static string AsCompilationUnit(string code, int index)
    {
        var root = CSharpSyntaxTree.ParseText(code, new CSharpParseOptions(LanguageVersion.Latest)).GetCompilationUnitRoot();
        var statements = root.Members.OfType<GlobalStatementSyntax>().ToArray();
        if (statements.Length == 0)
        {
            return code;
        }

        var usings = string.Join('\n', root.Usings.Select(u => u.ToFullString().Trim()));
        var declarations = string.Join('\n', root.Members.Where(m => m is not GlobalStatementSyntax).Select(m => m.ToFullString()));
        var body = string.Join('\n', statements.Select(s => s.ToFullString()));
        return $$"""
            {{usings}}
            #pragma warning disable CS1998 // a snippet need not await
            internal static class Snippet{{index}}
            {
                public static async Task Run()
                {
            {{body}}
                }
            }
            {{declarations}}
            """;
    }
}
