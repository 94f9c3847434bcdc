using Mrq.Storage.Redis;
using NUnit.Framework;

namespace Mrq.Tests.Storage.Redis;

/// <summary>Parsing MRQ's <c>redis</c> URL into StackExchange.Redis settings (no server needed).</summary>
[TestFixture]
[Category("redis")]
public sealed class RedisUrlTests
{
    [Test]
    public void Parse_MrqDefault_HostPortDatabaseZero()
    {
        var url = RedisUrl.Parse("redis://127.0.0.1:6379", "url");

        Assert.That((url.Host, url.Port, url.Database, url.Password, url.User, url.Tls), Is.EqualTo(("127.0.0.1", 6379, 0, (string?)null, (string?)null, false)));
        Assert.That(url.Address, Is.EqualTo("127.0.0.1:6379"));
    }

    [Test]
    public void Parse_PasswordPortAndDatabase_AllRead()
    {
        var url = RedisUrl.Parse("redis://:p%40ss:word@redis.example:6390/3", "url");

        Assert.That((url.Host, url.Port, url.Database, url.Password, url.User), Is.EqualTo(("redis.example", 6390, 3, "p@ss:word", (string?)null)));
    }

    [Test]
    public void Parse_UserAndPassword_BothRead()
    {
        var url = RedisUrl.Parse("redis://worker:secret@localhost/0", "url");

        Assert.That((url.User, url.Password, url.Port), Is.EqualTo(("worker", "secret", 6379)));
    }

    [Test]
    public void Parse_UserInfoWithoutColon_TakenAsPassword()
    {
        Assert.That(RedisUrl.Parse("redis://secret@localhost", "url").Password, Is.EqualTo("secret"));
    }

    [Test]
    public void Parse_Rediss_TlsWithServerNameForCertificate()
    {
        var url = RedisUrl.Parse("rediss://:pw@cache.example:6380", "url");
        var configuration = url.ToConfiguration(TimeSpan.FromSeconds(2));

        Assert.That(url.Tls, Is.True);
        Assert.That(configuration.Ssl, Is.True);
        Assert.That(configuration.SslHost, Is.EqualTo("cache.example"));
        Assert.That(configuration.Password, Is.EqualTo("pw"));
        Assert.That(configuration.ConnectTimeout, Is.EqualTo(2000));
        Assert.That(configuration.AbortOnConnectFail, Is.True, "the first connect must fail loudly");
    }

    [Test]
    public void Parse_Ipv6Host_AddressBracketed()
    {
        var url = RedisUrl.Parse("redis://[::1]:6390", "url");

        Assert.That(url.Host, Is.EqualTo("::1"));
        Assert.That(url.Address, Is.EqualTo("[::1]:6390"));
    }

    [TestCase("")]
    [TestCase("127.0.0.1:6379")]
    [TestCase("http://:hunter2@host:1")]
    [TestCase("redis://:hunter2@host:1/notanumber")]
    [TestCase("redis://:hunter2@host:1/0?ssl=true")]
    public void Parse_Malformed_ArgumentExceptionWithoutPassword(string text)
    {
        var ex = Assert.Throws<ArgumentException>(() => RedisUrl.Parse(text, "url"));

        Assert.That(ex!.Message, Does.Not.Contain("hunter2"));
    }

    [Test]
    public void Redact_Password_Replaced()
    {
        Assert.That(RedisUrl.Redact("redis://:hunter2@host:1/2"), Is.EqualTo("redis://***@host:1/2"));
        Assert.That(RedisUrl.Redact("redis://host:1"), Is.EqualTo("redis://host:1"));
    }
}
