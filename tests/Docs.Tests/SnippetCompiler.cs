using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace SimHost.Tests.Docs;

/// <summary>
/// Compiles C# from the docs with Roslyn against exactly what this test process can load (the framework, SimHost.Host,
/// SimHost.Layout and their dependencies), as a user's project referencing the SimHost.Host package would, with the
/// SDK's implicit usings and nullable on.
/// </summary>
internal static class SnippetCompiler
{
    // The usings a `dotnet new console` project gets implicitly; anything else a snippet needs it must say.
    private const string ImplicitUsings = """
        global using System;
        global using System.Collections.Generic;
        global using System.IO;
        global using System.Linq;
        global using System.Net.Http;
        global using System.Threading;
        global using System.Threading.Tasks;
        """;

    private static readonly Lazy<MetadataReference[]> s_references = new(LoadReferences);

    /// <summary>Compiles <paramref name="sources"/> into <paramref name="outputPath"/>; a failed compile fails the test with every error.</summary>
    /// <param name="name">The assembly name.</param>
    /// <param name="sources">Named sources, the names used in error messages.</param>
    /// <param name="outputKind">A console program (top-level statements) or a library.</param>
    /// <param name="outputPath">Where the assembly is written.</param>
    public static void Compile(string name, IReadOnlyList<(string Name, string Code)> sources, OutputKind outputKind, string outputPath)
    {
        var parse = new CSharpParseOptions(LanguageVersion.Latest);
        var trees = new List<SyntaxTree> { CSharpSyntaxTree.ParseText(ImplicitUsings, parse, "ImplicitUsings.cs") };
        trees.AddRange(sources.Select(s => CSharpSyntaxTree.ParseText(s.Code, parse, s.Name)));
        var options = new CSharpCompilationOptions(outputKind, nullableContextOptions: NullableContextOptions.Enable, allowUnsafe: true);
        var compilation = CSharpCompilation.Create(name, trees, s_references.Value, options);
        using var output = File.Create(outputPath);
        var result = compilation.Emit(output);
        var errors = result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).Select(d => d.ToString()).ToArray();
        Assert.That(errors, Is.Empty, $"{name} does not compile as written");
    }

    private static MetadataReference[] LoadReferences()
    {
        // The trusted platform assemblies: the framework and every assembly of this test's deps.json (SimHost.Host and
        // its dependencies among them). A snippet sees what a project referencing SimHost.Host would see, and a bit more.
        var paths = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator);
        return [.. paths.Where(p => !IsTestAssembly(p)).Select(p => MetadataReference.CreateFromFile(p))];
    }

    // Test frameworks are not what a user's program has: keep them out so a snippet cannot lean on them.
    private static bool IsTestAssembly(string path)
    {
        var file = Path.GetFileName(path);
        return file.StartsWith("nunit", StringComparison.OrdinalIgnoreCase)
            || file.StartsWith("Microsoft.TestPlatform", StringComparison.OrdinalIgnoreCase)
            || file.StartsWith("Microsoft.VisualStudio.TestPlatform", StringComparison.OrdinalIgnoreCase)
            || string.Equals(file, Assembly.GetExecutingAssembly().GetName().Name + ".dll", StringComparison.OrdinalIgnoreCase);
    }
}
