using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Mrq.Cli.Control;
using Mrq.Client;
using Mrq.Jobs;
using Mrq.Storage;
using Mrq.Storage.LiteDb.Control;
using NUnit.Framework;

namespace Mrq.Tests.Dashboard;

/// <summary>
/// The control endpoint is served by the storage itself (<c>UseLiteDb</c>), whichever host opens the file: it starts
/// when the file opens, answers with the host's own client, and is gone before the file is released.
/// </summary>
public sealed class LiteDbControlEndpointTests
{
    private string _directory = "";
    private string _file = "";

    [SetUp]
    public void CreateDirectory()
    {
        // Short: a socket path must fit in ~100 bytes.
        _directory = Path.Combine(Path.GetTempPath(), "mrq-ep-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(_directory);
        _file = Path.Combine(_directory, "jobs.db");
    }

    [TearDown]
    public void DeleteDirectory() => Directory.Delete(_directory, recursive: true);

    [Test]
    public async Task GenericHost_OpeningTheFile_ServesItsClientOnTheSocket_UntilStopped()
    {
        var host = Build(_file);
        await host.StartAsync();
        Assert.That(File.Exists(_file + ControlSocket.Suffix), Is.False, "nothing is served before the file is opened");
        await host.Services.GetRequiredService<MrqStorage>().InitializeAsync();

        var control = await ControlClient.TryConnectAsync(_file, CancellationToken.None);
        Assert.That(control, Is.Not.Null);
        var id = await new RemoteJobClient(control!).QueueJobAsync("samples.Add", new JsonObject { ["a"] = 1 }, "later");
        var local = await host.Services.GetRequiredService<IJobClient>().GetJobAsync(id);
        Assert.That(control!.Hello.Pid, Is.EqualTo(Environment.ProcessId));
        Assert.That((local?.Queue, local?.Status), Is.EqualTo(("later", (JobStatus?)JobStatus.Queued)), "queued through the socket into the host's file");

        await host.StopAsync();
        await ((IAsyncDisposable)host).DisposeAsync();
        Assert.That(File.Exists(_file + ControlSocket.Suffix), Is.False, "the socket is removed when the host stops");
        Assert.That(await ControlClient.TryConnectAsync(_file, CancellationToken.None), Is.Null);
    }

    [Test]
    public async Task ControlEndpointOff_ServesNothing()
    {
        using var host = Build(_file, serve: false);
        await host.Services.GetRequiredService<MrqStorage>().InitializeAsync();

        Assert.That(File.Exists(_file + ControlSocket.Suffix), Is.False);
        Assert.That(await ControlClient.TryConnectAsync(_file, CancellationToken.None), Is.Null);
    }

    [Test]
    public async Task SecondStorage_RefusedTheFile_LeavesTheHoldersSocketServing()
    {
        await using var holder = (IAsyncDisposable)Build(_file);
        await ((IHost)holder).Services.GetRequiredService<MrqStorage>().InitializeAsync();
        await using var second = (IAsyncDisposable)Build(_file);

        Assert.That(
            async () => await ((IHost)second).Services.GetRequiredService<MrqStorage>().InitializeAsync(),
            Throws.InstanceOf<MrqStorageException>().With.Message.Contains("already open"));
        await second.DisposeAsync();
        Assert.That(await ControlClient.TryConnectAsync(_file, CancellationToken.None), Is.Not.Null, "the holder still answers");
    }

    private static IHost Build(string file, bool serve = true)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddMrq(mrq => mrq.UseLiteDb(o =>
        {
            o.Path = file;
            o.ControlEndpoint = serve;
        }));
        return builder.Build();
    }
}
