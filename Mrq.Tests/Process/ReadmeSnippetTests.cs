using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using Mrq.Tests.Support;
using NUnit.Framework;
using OsProcess = System.Diagnostics.Process;

namespace Mrq.Tests.Process;

/// <summary>
/// The C# snippets of the README and of the package README, read from the files themselves (so they cannot drift),
/// compiled in a fresh console app with only the usings each shows, and the hosting snippet run: it must store a
/// <c>samples.Add</c> job that ends <c>success</c> with 42.
/// </summary>
[TestFixture]
[Category("process")]
public sealed partial class ReadmeSnippetTests
{
    [Test]
    public async Task ReadmeSnippets_CompileAsShownAndTheHostingOneRuns()
    {
        var root = RepositoryPaths.Root();
        var snippets = Snippets(Path.Combine(root, "README.md")).Concat(Snippets(Path.Combine(root, "docs", "package-readme.md"))).ToList();
        Assert.That(snippets, Has.Count.GreaterThanOrEqualTo(4), "the READMEs' C# snippets were found");
        var app = Directory.CreateTempSubdirectory("mrq-readme-");
        try
        {
            await WriteAppAsync(app.FullName, root, snippets);

            var build = await RunAsync(app.FullName, "build", "-p:BuildProjectReferences=false", "--nologo", "-v", "q");
            Assert.That(build.ExitCode, Is.Zero, "a README snippet does not compile as shown:\n" + build.Output);

            var run = await RunAsync(app.FullName, "run", "--no-build", "--", "0");
            Assert.That(run.ExitCode, Is.Zero, "the hosting snippet failed:\n" + run.Output);
            Assert.That(run.Output, Does.Contain("snippet 0 result: Success 42"));
        }
        finally
        {
            app.Delete(recursive: true);
        }
    }

    /// <summary>Each ```csharp block: its using directives, and its body.</summary>
    private static IEnumerable<Snippet> Snippets(string markdown)
    {
        foreach (Match block in CSharpBlock().Matches(File.ReadAllText(markdown)))
        {
            var lines = block.Groups[1].Value.Split('\n');
            var usings = lines.Where(l => UsingDirective().IsMatch(l)).ToList();
            var body = string.Join('\n', lines.Where(l => !UsingDirective().IsMatch(l)));
            var isDeclarations = body.TrimStart().StartsWith('[') || DeclarationStart().IsMatch(body.TrimStart());
            yield return new Snippet(Path.GetFileName(markdown), usings, body, isDeclarations);
        }
    }

    private static async Task WriteAppAsync(string directory, string root, IReadOnlyList<Snippet> snippets)
    {
        var references = string.Concat(new[] { "Mrq.Engine", "Mrq.Storage.LiteDb", "Mrq.Storage.Mongo", "Mrq.Storage.Redis", "Mrq.Dashboard" }
            .Select(p => $"""    <ProjectReference Include="{Path.Combine(root, p, p + ".csproj")}" />{"\n"}"""));
        await File.WriteAllTextAsync(Path.Combine(directory, "ReadmeApp.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
                <ManagePackageVersionsCentrally>false</ManagePackageVersionsCentrally>
              </PropertyGroup>
              <ItemGroup>
                <FrameworkReference Include="Microsoft.AspNetCore.App" />
            {references}  </ItemGroup>
            </Project>
            """);

        // The repository's build settings must not leak in: a newcomer's app has none of them.
        await File.WriteAllTextAsync(Path.Combine(directory, "Directory.Build.props"), "<Project />");
        await File.WriteAllTextAsync(Path.Combine(directory, "Directory.Packages.props"), "<Project />");
        var main = new StringBuilder("internal static class Program\n{\n    public static async Task Main(string[] args)\n    {\n        switch (args[0])\n        {\n");
        for (var i = 0; i < snippets.Count; i++)
        {
            var snippet = snippets[i];
            var file = new StringBuilder().AppendJoin('\n', snippet.Usings).Append('\n');
            if (snippet.IsDeclarations)
            {
                file.Append(snippet.Body);
            }
            else
            {
                // A top-level program becomes a method, so every snippet can live in one app; the first one's result is printed.
                var report = snippet.Body.Contains("var result =", StringComparison.Ordinal) ? "        System.Console.WriteLine($\"snippet " + i + " result: {result.Status} {result.Result}\");\n" : string.Empty;
                file.Append("internal static class Snippet").Append(i).Append("\n{\n    public static async Task RunAsync(string[] args)\n    {\n")
                    .Append(snippet.Body).Append('\n').Append(report).Append("        await Task.CompletedTask;\n    }\n}\n");
                main.Append("            case \"").Append(i).Append("\": await Snippet").Append(i).Append(".RunAsync(args); break;\n");
            }

            await File.WriteAllTextAsync(Path.Combine(directory, $"Snippet{i}.{snippet.Source}.cs"), file.ToString());
        }

        main.Append("        }\n    }\n}\n");
        await File.WriteAllTextAsync(Path.Combine(directory, "Program.cs"), main.ToString());
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(string directory, params string[] arguments)
    {
        var info = new ProcessStartInfo("dotnet") { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = OsProcess.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(5));
        return (process.ExitCode, await stdout + await stderr);
    }

    [GeneratedRegex("```csharp\\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex CSharpBlock();

    [GeneratedRegex(@"^using\s+[\w.]+\s*;")]
    private static partial Regex UsingDirective();

    [GeneratedRegex(@"^(public|internal|sealed|static|namespace|file)\b")]
    private static partial Regex DeclarationStart();

    private sealed record Snippet(string Source, IReadOnlyList<string> Usings, string Body, bool IsDeclarations);
}
