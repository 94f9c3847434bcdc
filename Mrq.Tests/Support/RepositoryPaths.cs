using NUnit.Framework;

namespace Mrq.Tests.Support;

/// <summary>Where the repository is, for tests that read or build its files (the README, the projects).</summary>
internal static class RepositoryPaths
{
    /// <summary>The folder holding <c>Mrq.sln</c>, above the test assembly's folder.</summary>
    public static string Root()
    {
        for (var dir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Mrq.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Mrq.sln not found above the test directory.");
    }
}
