using Mrq.Jobs;
using NUnit.Framework;

namespace Mrq.Tests.Engine;

[TestFixture]
[Category("engine")]
public sealed class JobStateMachineTests
{
    [Test]
    public void FinalStatus_MayOnlyMoveToQueuedOrCancel()
    {
        foreach (var final in JobStateMachine.Final)
        {
            var allowed = JobStatusNames.All.Where(to => JobStateMachine.CanTransition(final, to)).ToArray();
            Assert.That(allowed, Is.EquivalentTo(new[] { JobStatus.Queued, JobStatus.Cancel }), final.ToMrqName());
        }
    }

    [Test]
    public void Started_OnlyFromQueued()
    {
        Assert.That(JobStateMachine.SourcesOf(JobStatus.Started), Is.EqualTo(new[] { JobStatus.Queued }));
    }

    [Test]
    public void FinalOutcomes_OnlyOverStarted()
    {
        foreach (var final in JobStateMachine.Final)
        {
            Assert.That(JobStateMachine.SourcesOf(final), Is.EqualTo(new[] { JobStatus.Started }), final.ToMrqName());
        }
    }

    [Test]
    public void StatusNames_AreMrqSpellingsAndRoundTrip()
    {
        Assert.That(JobStatusNames.All.Select(s => s.ToMrqName()), Is.EqualTo(new[]
        {
            "queued", "started", "success", "failed", "cancel", "abort", "interrupt", "timeout", "retry", "maxretries", "maxconcurrency",
        }));
        foreach (var status in JobStatusNames.All)
        {
            Assert.That(JobStatusNames.Parse(status.ToMrqName()), Is.EqualTo(status));
        }

        Assert.That(() => JobStatusNames.Parse("done"), Throws.TypeOf<FormatException>());
    }

    [Test]
    public void JobAction_RequeueByFilter_SkipsQueuedByDefault()
    {
        var filter = new JobAction(JobActionKind.Requeue, JobFilter.All, DateTime.UtcNow).EffectiveFilter();

        Assert.That(filter.Statuses, Does.Not.Contain(JobStatus.Queued));
        Assert.That(filter.Statuses, Does.Contain(JobStatus.Success).And.Contain(JobStatus.Started));
    }
}
