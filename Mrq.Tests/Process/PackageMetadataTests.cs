using System.Diagnostics;
using System.IO.Compression;
using System.Xml.Linq;
using Mrq.Tests.Support;
using NUnit.Framework;
using OsProcess = System.Diagnostics.Process;

namespace Mrq.Tests.Process;

/// <summary><c>dotnet pack</c> of a library gives a package a NuGet user can trust: licence, README, symbols, a git version.</summary>
[TestFixture]
[Category("process")]
public sealed class PackageMetadataTests
{
    [Test]
    public async Task PackEngine_HasLicenceReadmeSymbolsAndNoWarnings()
    {
        var root = RepositoryPaths.Root();
        var output = Directory.CreateTempSubdirectory("mrq-pack-");
        try
        {
            var info = new ProcessStartInfo("dotnet")
            {
                ArgumentList = { "pack", Path.Combine(root, "Mrq.Engine", "Mrq.Engine.csproj"), "-o", output.FullName, "-p:TreatWarningsAsErrors=false", "--nologo" },
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            using var pack = OsProcess.Start(info)!;
            var stdout = pack.StandardOutput.ReadToEndAsync();
            var stderr = pack.StandardError.ReadToEndAsync();
            await pack.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(5));
            var log = await stdout + await stderr;

            Assert.That(pack.ExitCode, Is.Zero, log);
            Assert.That(log, Does.Not.Contain("warning"), "pack warnings (a missing readme, licence, …)");
            var package = Directory.GetFiles(output.FullName, "Mrq.Engine.*.nupkg").Single();
            var symbols = Directory.GetFiles(output.FullName, "Mrq.Engine.*.snupkg").Single();

            using var zip = ZipFile.OpenRead(package);
            var entries = zip.Entries.Select(e => e.FullName).ToArray();
            Assert.That(entries, Does.Contain("README.md").And.Contain("LICENSE").And.Contain("lib/net10.0/Mrq.Engine.xml"));
            await using var nuspecStream = zip.GetEntry("Mrq.Engine.nuspec")!.Open();
            var nuspec = await XDocument.LoadAsync(nuspecStream, LoadOptions.None, CancellationToken.None);
            var metadata = nuspec.Root!.Elements().Single(e => e.Name.LocalName == "metadata");
            string? Field(string name) => metadata.Elements().SingleOrDefault(e => e.Name.LocalName == name)?.Value;
            Assert.That(Field("license"), Is.EqualTo("MIT"));
            Assert.That(Field("readme"), Is.EqualTo("README.md"));
            Assert.That(Field("authors"), Is.Not.EqualTo("Mrq.Engine"), "authors set, not defaulted to the package id");
            Assert.That(Field("version"), Does.Not.StartWith("1.0.0"), "the version comes from git, not the SDK's fixed default");

            using var symbolZip = ZipFile.OpenRead(symbols);
            Assert.That(symbolZip.Entries.Select(e => e.FullName), Does.Contain("lib/net10.0/Mrq.Engine.pdb"));
        }
        finally
        {
            output.Delete(recursive: true);
        }
    }
}
