namespace OpenClaw.Cluster.Tests.Infrastructure;

/// <summary>
/// Every deadline of the cluster tests, in one place. They are deadlines for a condition to become
/// true (the tests poll and go on as soon as it is), never sleeps: generous, because the machine
/// has 2 cores shared by three silos, PostgreSQL, the test itself and other builds.
/// </summary>
internal static class ClusterTestTimeouts
{
    /// <summary>A silo process until /health answers 200 (serving). Typically 3–8 s (JIT, migrations, join); 90 s for a loaded machine.</summary>
    public static readonly TimeSpan SiloServing = TimeSpan.FromSeconds(90);

    /// <summary>An in-process cluster client until it is connected to a serving silo (one table read and one connect: well under 1 s normally).</summary>
    public static readonly TimeSpan ClientReady = TimeSpan.FromSeconds(60);

    /// <summary>
    /// A killed or frozen silo until the membership table shows it Dead. The defaults declare it dead
    /// 5–6 s after its last heartbeat (lease 5 s, 2 missed probes of 1 s, 2 votes); 30 s leaves room
    /// for a slow machine without hiding a detector that never fires.
    /// </summary>
    public static readonly TimeSpan DeclaredDead = TimeSpan.FromSeconds(30);

    /// <summary>From Dead in the table until every key and tenant answers again (clients and silos reread the table every 1 s).</summary>
    public static readonly TimeSpan Recovery = TimeSpan.FromSeconds(45);

    /// <summary>A resumed frozen silo until it exits with 71: it reads the table within one refresh (1 s) of running again.</summary>
    public static readonly TimeSpan DeclaredDeadExit = TimeSpan.FromSeconds(30);

    /// <summary>
    /// A SIGTERMed silo until it exits: two drain notice delays of 2 s plus deactivating and persisting
    /// its grains (bounded by the 60 s drain timeout); 90 s covers the whole drain on a slow machine.
    /// </summary>
    public static readonly TimeSpan GracefulExit = TimeSpan.FromSeconds(90);

    /// <summary>A killed process until the operating system reports it gone (immediate in practice).</summary>
    public static readonly TimeSpan KilledExit = TimeSpan.FromSeconds(30);

    /// <summary>initdb, pg_ctl start/stop and CREATE DATABASE each; a few seconds normally.</summary>
    public static readonly TimeSpan PostgresCommand = TimeSpan.FromSeconds(120);

    /// <summary>One chat turn on the echo provider (a few words, 15 ms each) from chat.send to its end.</summary>
    public static readonly TimeSpan ChatTurn = TimeSpan.FromSeconds(60);

    /// <summary>After recovery the load must keep succeeding for this many calls before the test stops it (a count, not a time).</summary>
    public const int CallsAfterRecovery = 2_000;

    /// <summary>Deadline for the load to make <see cref="CallsAfterRecovery"/> calls (it makes hundreds per second).</summary>
    public static readonly TimeSpan LoadProgress = TimeSpan.FromSeconds(60);

    /// <summary>
    /// One attempt of a recovery check (a round of calls) before it counts as "not yet" and is made
    /// again: a call stuck on a silo that is going away must not use up the whole recovery deadline.
    /// </summary>
    public static readonly TimeSpan Attempt = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How long PostgreSQL stays down in the restart test (the scenario, not a wait for a condition):
    /// a short outage, well under the 5 s lease, that silos are expected to ride out.
    /// </summary>
    public static readonly TimeSpan PostgresOutage = TimeSpan.FromSeconds(2);

    /// <summary>The silos' lease (the documented default, <c>ClusterOptions.DefaultLeaseDuration</c>): how long a lapse can surface after a database outage.</summary>
    public static readonly TimeSpan LeaseDuration = OpenClaw.Runtime.ClusterOptions.DefaultLeaseDuration;

    /// <summary>How often conditions are polled.</summary>
    public static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(100);

    // The edge restart test (scripts/cluster.sh, protocol clients through HAProxy).

    /// <summary>cluster.sh start: PostgreSQL initdb, 2 silos, 2 edges, HAProxy, all healthy (about 20 s; its own health waits are 180 s each).</summary>
    public static readonly TimeSpan ClusterScriptStart = TimeSpan.FromSeconds(300);

    /// <summary>cluster.sh restart-edge: drain (at most 5 s) and close handshakes, start, healthy again (a few seconds).</summary>
    public static readonly TimeSpan EdgeRestart = TimeSpan.FromSeconds(120);

    /// <summary>cluster.sh env / stop (stop drains the edges and silos: bounded by their grace periods).</summary>
    public static readonly TimeSpan ClusterScriptCommand = TimeSpan.FromSeconds(180);

    /// <summary>One request until its response (the edge itself answers UNAVAILABLE after 30 s at most).</summary>
    public static readonly TimeSpan ProtocolRequest = TimeSpan.FromSeconds(45);

    /// <summary>From the shutdown event until the close (the edge's drain of 5 s plus its close handshake of 5 s).</summary>
    public static readonly TimeSpan CloseAfterShutdown = TimeSpan.FromSeconds(30);

    /// <summary>Connect attempts through the balancer until one succeeds (it needs a healthy edge; HAProxy notices in about 1 s).</summary>
    public static readonly TimeSpan Reconnect = TimeSpan.FromSeconds(60);

    /// <summary>Between two failed connect attempts (a client's back-off, not a wait for a condition).</summary>
    public static readonly TimeSpan ReconnectBackoff = TimeSpan.FromMilliseconds(200);

    /// <summary>Every client made its next few answered requests on a live socket (EdgeRestartTests.RequestsPerStep).</summary>
    public static readonly TimeSpan ClientProgress = TimeSpan.FromSeconds(90);
}
