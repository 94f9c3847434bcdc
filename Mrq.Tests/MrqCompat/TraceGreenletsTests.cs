using System.Collections.Concurrent;
using System.Reflection;
using System.Text.Json.Nodes;
using MongoDB.Bson;
using MongoDB.Driver;
using Mrq.Jobs;
using Mrq.Storage;
using Mrq.Storage.InMemory;
using Mrq.Storage.Mongo;
using Mrq.Tests.Support;
using NUnit.Framework;

namespace Mrq.Tests.MrqCompat;

/// <summary>
/// MRQ's <c>--trace_greenlets</c>: jobs get <c>time</c> (seconds in the job's code) and <c>switches</c> (≥ 1), as
/// MRQ's <c>test_general_simple_task_one</c> reads them; without the flag neither field is written.
/// </summary>
[TestFixture]
public sealed class TraceGreenletsTests
{
    [TestCase(true)]
    [TestCase(false)]
    public async Task Worker_TraceGreenlets_OutcomeCarriesTimeAndSwitchesOnlyWhenOn(bool trace)
    {
        var recorded = new ConcurrentQueue<JobOutcome>();
        await using var host = await MrqTestHost.StartAsync(
            b => b.UseInMemoryStorage().ConfigureStorage((_, parts) => parts.Jobs = OutcomeRecorder.Wrap(parts.Jobs!, recorded)),
            options: o => o.TraceGreenlets = trace);
        var awaiting = await host.Client.QueueJobAsync("tests.tasks.general.Add", new JsonObject { ["a"] = 1, ["b"] = 2, ["sleep"] = 0.2 });
        var synchronous = await host.Client.QueueJobAsync("tests.tasks.general.Add", new JsonObject { ["a"] = 1, ["b"] = 2 });
        var run = host.StartWorker();

        Assert.That((await Wait.ForEndAsync(host.Client, awaiting)).Status, Is.EqualTo(JobStatus.Success));
        Assert.That((await Wait.ForEndAsync(host.Client, synchronous)).Status, Is.EqualTo(JobStatus.Success));
        await run.StopAsync();

        var awaited = recorded.Single(o => o.Id == awaiting);
        var direct = recorded.Single(o => o.Id == synchronous);
        if (trace)
        {
            Assert.That(awaited.Switches, Is.EqualTo(2), "started, then resumed after its await");
            Assert.That(direct.Switches, Is.EqualTo(1), "ran to its end without awaiting");
            Assert.That(awaited.Time, Is.GreaterThanOrEqualTo(0).And.LessThan(awaited.TotalTime!.Value), "time excludes the awaited sleep");
            Assert.That(direct.Time, Is.GreaterThanOrEqualTo(0));
        }
        else
        {
            Assert.That(new[] { awaited.Time, direct.Time }, Is.All.Null);
            Assert.That(new[] { awaited.Switches, direct.Switches }, Is.All.Null);
        }
    }

    [Test]
    public void MongoOutcomeUpdate_TimeAndSwitches_WrittenAsMrqsFieldsOnlyWhenSet()
    {
        var traced = Outcome() with { Time = 0.0125, Switches = 2 };

        var set = ((BsonDocumentUpdateDefinition<BsonDocument>)MongoJobStore.ToWriteModel(traced).Update).Document["$set"].AsBsonDocument;
        var plain = ((BsonDocumentUpdateDefinition<BsonDocument>)MongoJobStore.ToWriteModel(Outcome()).Update).Document["$set"].AsBsonDocument;

        Assert.That(set["time"], Is.EqualTo(new BsonDouble(0.0125)));
        Assert.That(set["switches"], Is.EqualTo(new BsonInt32(2)));
        Assert.That(plain.Contains("time") || plain.Contains("switches"), Is.False);
    }

    private static JobOutcome Outcome() => new()
    {
        Id = JobId.NewId(DateTime.UtcNow),
        Worker = ObjectId.GenerateNewId().ToString(),
        Status = JobStatus.Success,
        DateUpdated = DateTime.UtcNow,
        TotalTime = 1.5,
    };

    /// <summary>An <see cref="IJobStore"/> that records every outcome it is asked to save, then delegates.</summary>
    public class OutcomeRecorder : DispatchProxy
    {
        private IJobStore _inner = null!;
        private ConcurrentQueue<JobOutcome> _outcomes = null!;

        internal static IJobStore Wrap(IJobStore inner, ConcurrentQueue<JobOutcome> outcomes)
        {
            var proxy = Create<IJobStore, OutcomeRecorder>();
            var recorder = (OutcomeRecorder)(object)proxy;
            recorder._inner = inner;
            recorder._outcomes = outcomes;
            return proxy;
        }

        /// <inheritdoc/>
        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
        {
            ArgumentNullException.ThrowIfNull(targetMethod);
            if (targetMethod.Name == nameof(IJobStore.CompleteAsync) && args?[0] is IReadOnlyList<JobOutcome> outcomes)
            {
                foreach (var outcome in outcomes)
                {
                    _outcomes.Enqueue(outcome);
                }
            }

            try
            {
                return targetMethod.Invoke(_inner, args);
            }
            catch (TargetInvocationException ex) when (ex.InnerException is not null)
            {
                throw ex.InnerException;
            }
        }
    }
}
