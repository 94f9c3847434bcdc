using NUnit.Framework;

namespace Mrq.Tests.Storage.Contract;

/// <summary>
/// Base of every storage contract suite (in the style of dotnet/runtime's ChannelTestBase): each test gets a fresh,
/// empty part from <see cref="CreateAsync"/> and the part is disposed after it. A backend is done when its sealed
/// fixtures, deriving from the per-part suites, pass.
/// </summary>
/// <typeparam name="T">The SPI part under test.</typeparam>
public abstract class StorageContract<T>
    where T : class
{
    private T? _part;

    /// <summary>The part under test (fresh and empty for each test).</summary>
    protected T Part => _part ?? throw new InvalidOperationException("The part is created in SetUp.");

    /// <summary>A token that ends a hung storage call instead of hanging the test run.</summary>
    protected CancellationToken Ct { get; private set; }

    private CancellationTokenSource? _timeout;

    /// <summary>Creates a fresh, empty part (a new file, database or key prefix).</summary>
    protected abstract ValueTask<T> CreateAsync();

    /// <summary>Disposes the part and whatever owns it. The default disposes the part when it is disposable.</summary>
    protected virtual async ValueTask DisposePartAsync(T part)
    {
        switch (part)
        {
            case IAsyncDisposable asyncDisposable:
                await asyncDisposable.DisposeAsync();
                break;
            case IDisposable disposable:
                disposable.Dispose();
                break;
        }
    }

    [SetUp]
    public async Task CreatePartAsync()
    {
        _timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        Ct = _timeout.Token;
        _part = await CreateAsync();
    }

    [TearDown]
    public async Task DisposePartAfterTestAsync()
    {
        var part = _part;
        _part = null;
        if (part is not null)
        {
            await DisposePartAsync(part);
        }

        _timeout?.Dispose();
        _timeout = null;
    }
}
