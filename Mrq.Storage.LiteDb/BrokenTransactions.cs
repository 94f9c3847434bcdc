using System.Collections;
using System.Reflection;
using LiteDB;

namespace Mrq.Storage.LiteDb;

/// <summary>
/// LiteDB 5.0 cannot dispose the transaction of a commit that failed half-way: its Dispose throws ("discarded page
/// must be writable") before returning the file handles it rented, and so does its finalizer, which would crash the
/// process once the GC collects the closed engine. Before such an engine is dropped, its undisposed transactions get
/// their finalizer suppressed and their handles returned (LiteDB then closes them with the engine). This reads
/// LiteDB's private fields (5.0.x); should they change, the engine is kept alive instead, which leaks but never crashes.
/// </summary>
internal static class BrokenTransactions
{
    private const BindingFlags Instance = BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public;
    private static readonly List<LiteDatabase> s_keptAlive = [];

    /// <summary>Makes the transactions of <paramref name="database"/> safe to drop (call on the thread that wrote).</summary>
    public static void Release(LiteDatabase database)
    {
        try
        {
            var monitor = Field(Field(database, "_engine"), "_monitor");
            var transactions = ((IDictionary)Field(monitor, "_transactions")).Values.Cast<object>().ToList();
            var slot = Field(monitor, "_slot");
            try
            {
                if (slot.GetType().GetProperty("Value")!.GetValue(slot) is { } current)
                {
                    transactions.Add(current);
                }
            }
            catch (TargetInvocationException)
            {
                // The slot is already disposed: the dictionary holds every transaction.
            }

            foreach (var transaction in transactions.Distinct())
            {
                if (Field(transaction, "_state").ToString() == "Disposed")
                {
                    continue;
                }

#pragma warning disable CA1816 // LiteDB's own finalizer of this transaction would throw: it must never run.
                GC.SuppressFinalize(transaction);
#pragma warning restore CA1816
                (Field(transaction, "_reader") as IDisposable)?.Dispose();
            }
        }
        catch (Exception e) when (e is InvalidOperationException or InvalidCastException or NullReferenceException or TargetInvocationException)
        {
            lock (s_keptAlive)
            {
                s_keptAlive.Add(database);
            }
        }
    }

    private static object Field(object owner, string name)
    {
        for (var type = owner.GetType(); type is not null; type = type.BaseType)
        {
            if (type.GetField(name, Instance) is { } field)
            {
                return field.GetValue(owner) ?? throw new InvalidOperationException($"LiteDB's {type.Name}.{name} is null.");
            }
        }

        throw new InvalidOperationException($"LiteDB's {owner.GetType().Name} has no field {name}.");
    }
}
