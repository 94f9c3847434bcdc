using LiteDB;

namespace Mrq.Storage.LiteDb;

/// <summary>A <see cref="WriteOperation"/> producing a <typeparamref name="T"/>.</summary>
internal sealed class WriteOperation<T> : WriteOperation
{
    private readonly Func<LiteDatabase, T> _work;
    private readonly TaskCompletionSource<T> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private T? _result;

    public WriteOperation(Func<LiteDatabase, T> work, bool readsOnly, CancellationToken cancellationToken)
        : base(readsOnly, cancellationToken)
    {
        _work = work;
    }

    /// <summary>Completes when the operation committed, failed or was cancelled.</summary>
    public Task<T> Task => _completion.Task;

    public override void Execute(LiteDatabase database) => _result = _work(database);

    public override void Publish() => _completion.TrySetResult(_result!);

    public override void Fail(Exception exception) => _completion.TrySetException(exception);

    public override void Cancel() => _completion.TrySetCanceled(CancellationToken);
}
