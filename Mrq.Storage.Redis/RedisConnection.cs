using Mrq.Storage;
using StackExchange.Redis;

namespace Mrq.Storage.Redis;

/// <summary>
/// The storage's one shared <see cref="ConnectionMultiplexer"/> (every non-blocking command) plus the dedicated
/// connections BLPOP needs (<see cref="RedisBlockingConnections"/>). The first connect must succeed, else start-up
/// fails with a <see cref="MrqStorageException"/> naming <c>host:port</c>; after it StackExchange.Redis reconnects by
/// itself, forever, whenever the link drops.
/// </summary>
internal sealed class RedisConnection : IStorageInitializer, IAsyncDisposable
{
    private readonly ConfigurationOptions _configuration;
    private readonly SemaphoreSlim _connectLock = new(1, 1);
    private readonly bool _ownsMultiplexer = true;
    private readonly string? _password;
    private readonly bool _tls;
    private IConnectionMultiplexer? _multiplexer;
    private IDatabase? _database;
    private volatile bool _disposed;

    public RedisConnection(RedisStorageOptions options)
    {
        var url = RedisStorage.Validate(options);
        _configuration = url.ToConfiguration(options.ConnectTimeout);
        options.ConfigureConnection?.Invoke(_configuration);
        Address = url.Address;
        _password = url.Password;
        _tls = url.Tls;
        Blocking = new RedisBlockingConnections(this, _configuration);
    }

    /// <summary>
    /// A connection over the application's own <paramref name="multiplexer"/>, which is never disposed here. Blocking
    /// waits (BLPOP) cannot share it, so they open their own connections from its configuration.
    /// </summary>
    public RedisConnection(IConnectionMultiplexer multiplexer, RedisStorageOptions options)
    {
        RedisStorage.ValidateServerIndependent(options);
        _configuration = ConfigurationOptions.Parse(multiplexer.Configuration);
        _ownsMultiplexer = false;
        _password = _configuration.Password;
        _tls = _configuration.Ssl;
        Address = string.Join(",", _configuration.EndPoints.Select(e => e is System.Net.DnsEndPoint dns ? $"{dns.Host}:{dns.Port}" : e.ToString()));
        _multiplexer = multiplexer;
        _database = multiplexer.GetDatabase();
        Blocking = new RedisBlockingConnections(this, _configuration);
    }

    /// <summary><c>host:port</c> of the server, for messages (never the password).</summary>
    public string Address { get; }

    /// <summary>The dedicated connections for blocking commands.</summary>
    public RedisBlockingConnections Blocking { get; }

    /// <summary>Connects the shared multiplexer (once).</summary>
    /// <exception cref="MrqStorageException">The server cannot be reached or refused the connection.</exception>
    public async ValueTask InitializeAsync(CancellationToken cancellationToken)
    {
        if (_database is not null)
        {
            return;
        }

        await _connectLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_database is not null)
            {
                return;
            }

            ObjectDisposedException.ThrowIf(_disposed, this);
            var multiplexer = await ConnectAsync(_configuration, cancellationToken).ConfigureAwait(false);

            // From here on the multiplexer owns reconnection: a dropped link is retried in the background for as long
            // as the storage lives, and commands issued meanwhile wait in its backlog or fail with a timeout.
            _configuration.AbortOnConnectFail = false;
            _multiplexer = multiplexer;
            _database = multiplexer.GetDatabase();
        }
        finally
        {
            _connectLock.Release();
        }
    }

    /// <summary>The database of the shared multiplexer, connecting first if <see cref="InitializeAsync"/> has not run.</summary>
    public ValueTask<IDatabase> GetDatabaseAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return _database is { } database ? new ValueTask<IDatabase>(database) : ConnectThenGetAsync(cancellationToken);
    }

    /// <summary>Opens a new multiplexer on <paramref name="configuration"/>, failing with a message that names the server.</summary>
    /// <exception cref="MrqStorageException">The server cannot be reached or refused the connection.</exception>
    public async Task<ConnectionMultiplexer> ConnectAsync(ConfigurationOptions configuration, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var connecting = ConnectionMultiplexer.ConnectAsync(configuration);
        try
        {
            return await connecting.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            _ = DisposeWhenConnectedAsync(connecting);
            throw;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            throw Failure("cannot be reached", ex);
        }
    }

    /// <summary>A <see cref="MrqStorageException"/> naming the server, with any password scrubbed from the cause's message.</summary>
    public MrqStorageException Failure(string what, Exception cause)
    {
        var detail = WithoutClientAdvice(cause.Message);
        if (!string.IsNullOrEmpty(_password))
        {
            detail = detail.Replace(_password, "***", StringComparison.Ordinal);
        }

        var tls = _tls ? " (TLS)" : string.Empty;
        return new MrqStorageException($"Redis at {Address}{tls} {what}: {detail}", cause);
    }

    /// <summary>
    /// The client library's message without its advice to programs using it ("use abortConnect=false in your
    /// connection string or AbortOnConnectFail=false; in your code"), which means nothing to an operator.
    /// </summary>
    internal static string WithoutClientAdvice(string message)
    {
        const string AdviceStart = " To allow this multiplexer";
        const string AdviceEnd = "in your code.";
        var start = message.IndexOf(AdviceStart, StringComparison.Ordinal);
        var end = start < 0 ? -1 : message.IndexOf(AdviceEnd, start, StringComparison.Ordinal);
        return end < 0 ? message : (message[..start] + message[(end + AdviceEnd.Length)..]).Trim();
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        await Blocking.DisposeAsync().ConfigureAwait(false);
        await _connectLock.WaitAsync().ConfigureAwait(false);
        try
        {
            // A multiplexer the application supplied is the application's to close.
            if (_multiplexer is { } multiplexer && _ownsMultiplexer)
            {
                _multiplexer = null;
                await multiplexer.DisposeAsync().ConfigureAwait(false);
            }
        }
        finally
        {
            _connectLock.Release();
        }

        _connectLock.Dispose();
    }

    private static async Task DisposeWhenConnectedAsync(Task<ConnectionMultiplexer> connecting)
    {
        try
        {
            var multiplexer = await connecting.ConfigureAwait(false);
            await multiplexer.DisposeAsync().ConfigureAwait(false);
        }
        catch (Exception)
        {
            // The abandoned connect failed: nothing to close.
        }
    }

    private async ValueTask<IDatabase> ConnectThenGetAsync(CancellationToken cancellationToken)
    {
        await InitializeAsync(cancellationToken).ConfigureAwait(false);
        return _database ?? throw new ObjectDisposedException(nameof(RedisConnection));
    }
}
