<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>CoreText</name>
    <message>
        <source>SETNX then EXPIRE (two commands); release by WATCH/GET/MULTI/DEL compare</source>
        <comment>lock.setnx-expire.summary</comment>
        <translation>先 SETNX 再 EXPIRE（两条命令）；释放时用 WATCH/GET/MULTI/DEL 比对</translation>
    </message>
    <message>
        <source>a crash between SETNX and EXPIRE leaves a lock with no TTL, held forever</source>
        <comment>lock.setnx-expire.hazard</comment>
        <translation>在 SETNX 与 EXPIRE 之间崩溃，会留下一把没有 TTL、永远被持有的锁</translation>
    </message>
    <message>
        <source>value = expiry timestamp; an expired lock is taken over with GETSET</source>
        <comment>lock.setnx-getset.summary</comment>
        <translation>值 = 过期时间戳；过期的锁用 GETSET 接管</translation>
    </message>
    <message>
        <source>depends on client clocks agreeing; release checks the time, not the owner</source>
        <comment>lock.setnx-getset.hazard</comment>
        <translation>依赖各客户端的时钟一致；释放时只检查时间，不检查持有者</translation>
    </message>
    <message>
        <source>SET key token NX PX ttl; release and extend compare the token (Lua)</source>
        <comment>lock.set-nx-px.summary</comment>
        <translation>SET key token NX PX ttl；释放和延长时比对令牌（Lua）</translation>
    </message>
    <message>
        <source>a holder paused past its TTL still believes it holds the lock</source>
        <comment>lock.set-nx-px.hazard</comment>
        <translation>暂停超过 TTL 的持有者仍以为自己持有着锁</translation>
    </message>
    <message>
        <source>holder beats a counter; others take over after N missed beats</source>
        <comment>lock.heartbeat.summary</comment>
        <translation>持有者不断递增心跳计数器；错过 N 次心跳后由他人接管</translation>
    </message>
    <message>
        <source>takeover latency vs. false takeover of a holder that is only paused</source>
        <comment>lock.heartbeat.hazard</comment>
        <translation>接管延迟与误接管一个只是被暂停的持有者之间的取舍</translation>
    </message>
    <message>
        <source>SET NX PX on N independent masters, quorum N/2+1, validity minus drift</source>
        <comment>lock.redlock.summary</comment>
        <translation>在 N 个独立主节点上 SET NX PX，法定数 N/2+1，有效期减去时钟漂移</translation>
    </message>
    <message>
        <source>a clock jump or a restart without persistence on one node makes two majorities</source>
        <comment>lock.redlock.hazard</comment>
        <translation>某个节点的时钟跳变或无持久化重启，会造成两个多数派</translation>
    </message>
    <message>
        <source>Redisson-compatible hash lock with hold counts, watchdog and unlock channel</source>
        <comment>lock.reentrant.summary</comment>
        <translation>兼容 Redisson 的哈希锁，带持有计数、看门狗和解锁频道</translation>
    </message>
    <message>
        <source>the watchdog keeps a hung (but alive) holder's lock forever</source>
        <comment>lock.reentrant.hazard</comment>
        <translation>看门狗会让一个卡死（但仍存活）的持有者永远持有锁</translation>
    </message>
    <message>
        <source>set-nx-px plus a fencing token (INCR) the protected resource checks</source>
        <comment>lock.fenced.summary</comment>
        <translation>set-nx-px 加上受保护资源会检查的防护令牌（fencing token，INCR）</translation>
    </message>
    <message>
        <source>SET NX PX, but released with a plain DEL</source>
        <comment>lock.unsafe-del.summary</comment>
        <translation>SET NX PX，但释放时直接 DEL</translation>
    </message>
    <message>
        <source>deletes another client's lock after its own lease expired</source>
        <comment>lock.unsafe-del.hazard</comment>
        <translation>自己的租约到期后，会删掉别的客户端的锁</translation>
    </message>
    <message>
        <source>GET, add in the client, SET: two commands with a gap between them</source>
        <comment>counter.naive.summary</comment>
        <translation>GET，在客户端加一，再 SET：两条命令之间有空隙</translation>
    </message>
    <message>
        <source>loses updates: a SET overwrites the increments made since its GET</source>
        <comment>counter.naive.contention</comment>
        <translation>会丢失更新：一次 SET 会覆盖自它 GET 以来别人做的自增</translation>
    </message>
    <message>
        <source>INCRBY: the server adds, one atomic command</source>
        <comment>counter.incr.summary</comment>
        <translation>INCRBY：由服务器做加法，一条原子命令</translation>
    </message>
    <message>
        <source>exact</source>
        <comment>counter.incr.contention</comment>
        <translation>精确</translation>
    </message>
    <message>
        <source>WATCH/GET/MULTI/SET/EXEC, retried whenever EXEC aborts</source>
        <comment>counter.watch.summary</comment>
        <translation>WATCH/GET/MULTI/SET/EXEC，EXEC 被中止时重试</translation>
    </message>
    <message>
        <source>exact, with retries: EXEC aborts when another client wrote since the WATCH</source>
        <comment>counter.watch.contention</comment>
        <translation>精确，但有重试：WATCH 之后若有别的客户端写入，EXEC 会被中止</translation>
    </message>
    <message>
        <source>GET+SET inside a lock; locked:&lt;lock strategy&gt; picks it (default set-nx-px)</source>
        <comment>counter.locked.summary</comment>
        <translation>在锁内执行 GET+SET；用 locked:&lt;锁策略&gt; 选择所用的锁（默认 set-nx-px）</translation>
    </message>
    <message>
        <source>exact while the lock holds; inherits the lock's hazards</source>
        <comment>counter.locked.contention</comment>
        <translation>锁成立时精确；同时继承那把锁的风险</translation>
    </message>
    <message>
        <source>read-modify-write in one Lua script</source>
        <comment>counter.lua.summary</comment>
        <translation>在一个 Lua 脚本里完成读-改-写</translation>
    </message>
    <message>
        <source>exact</source>
        <comment>counter.lua.contention</comment>
        <translation>精确</translation>
    </message>
    <message>
        <source>hash {value, version}; write only if the version is unchanged (optimistic)</source>
        <comment>counter.versioned.summary</comment>
        <translation>哈希 {value, version}；只有版本未变时才写入（乐观锁）</translation>
    </message>
    <message>
        <source>exact, with conflicts: a write whose version moved is refused and retried</source>
        <comment>counter.versioned.contention</comment>
        <translation>精确，但有冲突：版本已变的写入被拒绝并重试</translation>
    </message>
    <message>
        <source>merge increments locally; one INCRBY per interval (request merging)</source>
        <comment>counter.batched.summary</comment>
        <translation>在本地合并自增；每个间隔一次 INCRBY（请求合并）</translation>
    </message>
    <message>
        <source>exact after the final flush, with far fewer round trips; unflushed increments die with the process</source>
        <comment>counter.batched.contention</comment>
        <translation>最后一次刷新后精确，往返次数少得多；尚未刷新的自增会随进程一起消失</translation>
    </message>
    <message>
        <source>per-user daily vote limit: capped:naive checks then INCRs, capped:atomic in Lua</source>
        <comment>counter.capped.summary</comment>
        <translation>每个用户每天的投票上限：capped:naive 先检查再 INCR，capped:atomic 在 Lua 中完成</translation>
    </message>
    <message>
        <source>naive over-votes past the cap; atomic never exceeds it</source>
        <comment>counter.capped.contention</comment>
        <translation>naive 会超出上限多投票；atomic 绝不会超出</translation>
    </message>
    <message>
        <source>no fault: plain contention</source>
        <comment>fault.none.summary</comment>
        <translation>无故障：单纯的竞争</translation>
    </message>
    <message>
        <source>SIGSTOP the holder inside its critical section for longer than the TTL, then SIGCONT</source>
        <comment>fault.pause-holder.summary</comment>
        <translation>在持有者处于临界区时用 SIGSTOP 暂停它，时长超过 TTL，然后 SIGCONT</translation>
    </message>
    <message>
        <source>SIGKILL the holder while it holds the lock (setnx-expire: between SETNX and EXPIRE)</source>
        <comment>fault.crash-holder.summary</comment>
        <translation>在持有者持有锁时用 SIGKILL 杀死它（setnx-expire：在 SETNX 与 EXPIRE 之间）</translation>
    </message>
    <message>
        <source>one worker's wall clock runs ahead (--skew MS, negative: behind) of everyone else's</source>
        <comment>fault.clock-skew.summary</comment>
        <translation>让一个工作者的挂钟比其他人快（--skew MS，负数：慢）</translation>
    </message>
    <message>
        <source>pause K of the N redlock nodes (--down K, --down-for MS), then resume them</source>
        <comment>fault.node-down.summary</comment>
        <translation>暂停 N 个 redlock 节点中的 K 个（--down K，--down-for MS），然后恢复</translation>
    </message>
    <message>
        <source>restart one redlock node without persistence under a holder with a bare majority</source>
        <comment>fault.node-restart.summary</comment>
        <translation>在持有者只拿到刚好多数时，无持久化地重启一个 redlock 节点</translation>
    </message>
    <message>
        <source>node-restart, but the node stays down longer than the TTL before it restarts empty</source>
        <comment>fault.node-restart-delayed.summary</comment>
        <translation>同 node-restart，但节点在清空重启前保持宕机的时间超过 TTL</translation>
    </message>
    <message>
        <source>on master + replica + Sentinels: fail over before the lock replicated (--wait-replicas 1: WAIT)</source>
        <comment>fault.failover-before-replication.summary</comment>
        <translation>在主节点 + 副本 + 哨兵上：锁复制之前就故障转移（--wait-replicas 1：WAIT）</translation>
    </message>
    <message>
        <source>no fault: the lock keeps holders apart, every update lands.</source>
        <comment>outcome.none.any</comment>
        <translation>无故障：锁让持有者彼此互斥，每次更新都生效。</translation>
    </message>
    <message>
        <source>the lease ran out during the pause and the next holder got in while the paused one was still inside (an overlap) — but its fencing token was older, so the resource rejected its stale write: nothing lost.</source>
        <comment>outcome.pause-holder.fenced</comment>
        <translation>暂停期间租约到期，下一个持有者在被暂停者仍在临界区内时进入（发生重叠）——但被暂停者的防护令牌更旧，资源拒绝了它的过期写入：没有丢失任何更新。</translation>
    </message>
    <message>
        <source>a paused process beats no more: the waiters took over after the missed beats while the holder was still inside; on SIGCONT it wrote its stale value (overwriting the increments made meanwhile) and only learned at its next beat that it had lost the lock.</source>
        <comment>outcome.pause-holder.heartbeat</comment>
        <translation>被暂停的进程不再心跳：错过几次心跳后，等待者在持有者仍在临界区内时接管；收到 SIGCONT 后，它写入了过期的值（覆盖了期间的自增），直到下一次心跳才发现自己已失去锁。</translation>
    </message>
    <message>
        <source>SIGSTOP stops the watchdog too, so the lease ran out and a waiter got in while the holder was still inside; on SIGCONT its stale write overwrote the increments made meanwhile.</source>
        <comment>outcome.pause-holder.reentrant</comment>
        <translation>SIGSTOP 把看门狗也停了，于是租约到期，等待者在持有者仍在临界区内时进入；收到 SIGCONT 后，它的过期写入覆盖了期间的自增。</translation>
    </message>
    <message>
        <source>the expiry timestamp passed during the pause and a waiter took the lock over with GETSET; the paused holder's stale write then overwrote the increments made meanwhile, and its release (which checks the time, not the owner) deleted the new holder's lock.</source>
        <comment>outcome.pause-holder.setnx-getset</comment>
        <translation>暂停期间过期时间戳已过，等待者用 GETSET 接管了锁；被暂停的持有者随后的过期写入覆盖了期间的自增，而它的释放（只检查时间，不检查持有者）删掉了新持有者的锁。</translation>
    </message>
    <message>
        <source>the TTL ran out during the pause and a waiter got in; the paused holder's stale write overwrote the increments made meanwhile, and its plain DEL then removed the new holder's lock, letting a third one in.</source>
        <comment>outcome.pause-holder.unsafe-del</comment>
        <translation>暂停期间 TTL 到期，等待者进入；被暂停的持有者的过期写入覆盖了期间的自增，随后它直接 DEL 删掉了新持有者的锁，又放进来第三个。</translation>
    </message>
    <message>
        <source>the TTL ran out while the holder was paused, so the next holder got in while it was still inside; on SIGCONT it wrote the value it had read before the pause, overwriting every increment made meanwhile. Only its release noticed the lock was no longer its own.</source>
        <comment>outcome.pause-holder.any</comment>
        <translation>持有者被暂停时 TTL 到期，于是下一个持有者在它仍在临界区内时进入；收到 SIGCONT 后，它写入了暂停前读到的值，覆盖了期间的每一次自增。只有它的释放操作发现锁已不再属于自己。</translation>
    </message>
    <message>
        <source>killed between SETNX and EXPIRE: the lock has no TTL and nobody can ever take it — every other worker waits until it gives up.</source>
        <comment>outcome.crash-holder.setnx-expire</comment>
        <translation>在 SETNX 与 EXPIRE 之间被杀死：锁没有 TTL，谁也拿不到——其他工作者一直等到放弃为止。</translation>
    </message>
    <message>
        <source>a dead holder beats no more: a waiter took over after the missed beats, and the half-done section wrote nothing.</source>
        <comment>outcome.crash-holder.heartbeat</comment>
        <translation>死掉的持有者不再心跳：错过几次心跳后等待者接管，做了一半的临界区什么也没写入。</translation>
    </message>
    <message>
        <source>the watchdog died with the process, so the lease ran out and the others carried on; the half-done section wrote nothing.</source>
        <comment>outcome.crash-holder.reentrant</comment>
        <translation>看门狗随进程一起死掉，于是租约到期，其他人继续；做了一半的临界区什么也没写入。</translation>
    </message>
    <message>
        <source>the lock expired after its TTL and the others carried on; the killed holder's half-done section wrote nothing.</source>
        <comment>outcome.crash-holder.any</comment>
        <translation>锁在 TTL 后过期，其他人继续；被杀死的持有者做了一半的临界区什么也没写入。</translation>
    </message>
    <message>
        <source>the lock's value is an expiry time from the client's clock, and the skewed client's clock is behind by at least the TTL: the expiry it wrote into its own lock was already past by everyone else's clock, so the others took its lock over with GETSET while it was still inside — and its release, judging the time by its slow clock, could delete the lock of the client that had taken over.</source>
        <comment>outcome.clock-skew.setnx-getset.behind</comment>
        <translation>锁的值是按客户端时钟算出的过期时间，而出现偏差的客户端时钟慢了至少一个 TTL：按其他人的时钟，它写进自己锁里的过期时间早已过去，于是其他人在它仍在临界区内时用 GETSET 接管了它的锁——而它按自己慢的时钟判断时间来释放，可能删掉接管者的锁。</translation>
    </message>
    <message>
        <source>the lock's value is an expiry time from the client's clock, but the skew is smaller than the TTL: a lock is judged expired early only in the last skew-sized part of its lease, and holders that finish sooner are never taken over — the skew may change nothing. With a skew of at least the TTL, it always does.</source>
        <comment>outcome.clock-skew.setnx-getset.small</comment>
        <translation>锁的值是按客户端时钟算出的过期时间，但偏差小于 TTL：只有在租约最后那段与偏差等长的时间里，锁才会被提前判为过期，提早结束的持有者从不会被接管——偏差可能毫无影响。偏差至少为一个 TTL 时，必然出问题。</translation>
    </message>
    <message>
        <source>the lock's value is an expiry time from the client's clock, and the skewed client's clock is ahead by at least the TTL: it judged the others' live locks expired by its own clock and took them over with GETSET while their holders were inside.</source>
        <comment>outcome.clock-skew.setnx-getset</comment>
        <translation>锁的值是按客户端时钟算出的过期时间，而出现偏差的客户端时钟快了至少一个 TTL：它按自己的时钟把别人仍有效的锁判为过期，在其持有者仍在临界区内时用 GETSET 接管了它们。</translation>
    </message>
    <message>
        <source>this recipe's expiry is kept by the Redis server (a TTL) or by elapsed time, never by a client's wall clock: the skew changed nothing.</source>
        <comment>outcome.clock-skew.any</comment>
        <translation>这个方案的过期由 Redis 服务器（TTL）或经过的时间来维护，从不依赖客户端的挂钟：时钟偏差毫无影响。</translation>
    </message>
    <message>
        <source>a majority of nodes still answered: acquisitions went on (each a little slower, waiting out the unreachable nodes' timeout) and mutual exclusion held.</source>
        <comment>outcome.node-down.redlock.minority</comment>
        <translation>多数节点仍在应答：获取照常进行（每次稍慢一些，要等不可达节点超时），互斥依然成立。</translation>
    </message>
    <message>
        <source>without a majority nobody can acquire: the demo stalled while the nodes were down and resumed when they came back — unavailable, but never unsafe.</source>
        <comment>outcome.node-down.redlock.majority</comment>
        <translation>没有多数派就没人能获取：节点宕机期间演示停滞，节点恢复后继续——不可用，但从不失去安全性。</translation>
    </message>
    <message>
        <source>the holder had a bare majority; the restarted node forgot its key, and with the nodes that had crashed and come back empty another client assembled a second majority while the first still held a valid lease — two holders at once.</source>
        <comment>outcome.node-restart.redlock</comment>
        <translation>持有者只拿到刚好多数；重启的节点丢失了它的键，再加上那些崩溃后清空回来的节点，另一个客户端在第一个持有者的租约仍有效时凑出了第二个多数派——同时出现两个持有者。</translation>
    </message>
    <message>
        <source>the holder had a bare majority and one of its nodes crashed — but it stayed down longer than the TTL before coming back empty: while the lease was valid nobody could assemble a majority without that node, and by the time it returned every lease it had granted had expired. No second holder; the others carried on once the holder released.</source>
        <comment>outcome.node-restart-delayed.redlock</comment>
        <translation>持有者只拿到刚好多数，其中一个节点崩溃了——但它在清空回来之前宕机的时间超过了 TTL：租约有效期间，没有那个节点谁也凑不出多数派；等它回来时，它授予过的所有租约都已过期。没有第二个持有者；持有者释放后其他人继续。</translation>
    </message>
    <message>
        <source>with WAIT after SET, the master's grant that no replica had acknowledged (WAIT returned 0) was given back instead of used; after the failover only the client that acquired on the new master entered — no double grant. The price is availability: the new master's grants count only once a replica acknowledges them, so the second client waited until the old master had rejoined as its replica (~10 s). WAIT narrows the window, it does not close it in general: with several replicas Sentinel may promote one that did not acknowledge.</source>
        <comment>outcome.failover-before-replication.any.wait</comment>
        <translation>在 SET 之后执行 WAIT，没有任何副本确认的主节点授予（WAIT 返回 0）被交还而不是使用；故障转移后只有在新主节点上获取成功的客户端进入——没有重复授予。代价是可用性：新主节点的授予要等副本确认才算数，所以第二个客户端一直等到旧主节点作为其副本重新加入（约 10 秒）。WAIT 缩小了窗口，但一般并不能关闭它：有多个副本时，哨兵可能提升一个没有确认的副本。</translation>
    </message>
    <message>
        <source>the lock was granted on the master, but the replica had not applied the write when Sentinel promoted it: the new master had never seen the lock and granted it again — two holders at once; the first holder's stale write then overwrote the second's increment.</source>
        <comment>outcome.failover-before-replication.any</comment>
        <translation>锁在主节点上被授予，但哨兵提升副本时，副本还没有应用这次写入：新主节点从未见过这把锁，于是再次授予——同时出现两个持有者；第一个持有者的过期写入随后覆盖了第二个的自增。</translation>
    </message>
    <message>
        <source>held</source>
        <comment>state.held.name</comment>
        <translation>持有中</translation>
    </message>
    <message>
        <source>expiring</source>
        <comment>state.expiring.name</comment>
        <translation>即将过期</translation>
    </message>
    <message>
        <source>Held, but its TTL is about to run out: the holder has not renewed it.</source>
        <comment>state.expiring.meaning</comment>
        <translation>被持有，但 TTL 即将耗尽：持有者没有续期。</translation>
    </message>
    <message>
        <source>stuck-no-ttl</source>
        <comment>state.stuck-no-ttl.name</comment>
        <translation>无 TTL 卡死</translation>
    </message>
    <message>
        <source>Held without a TTL: if the holder is gone, nobody will ever get it. Check the holder, then force-release it.</source>
        <comment>state.stuck-no-ttl.meaning</comment>
        <translation>被持有却没有 TTL：若持有者已不在，谁也拿不到它。先检查持有者，再强制释放。</translation>
    </message>
    <message>
        <source>expired-timestamp</source>
        <comment>state.expired-timestamp.name</comment>
        <translation>时间戳已过期</translation>
    </message>
    <message>
        <source>The expiry timestamp stored in the value is in the past: the next waiter will take it over (setnx-getset).</source>
        <comment>state.expired-timestamp.meaning</comment>
        <translation>值中保存的过期时间戳已经过去：下一个等待者会接管它（setnx-getset）。</translation>
    </message>
    <message>
        <source>heartbeat-stale</source>
        <comment>state.heartbeat-stale.name</comment>
        <translation>心跳停滞</translation>
    </message>
    <message>
        <source>The heartbeat stopped moving for longer than its beat period: the holder is paused or dead, and waiters will take over.</source>
        <comment>state.heartbeat-stale.meaning</comment>
        <translation>心跳停止变化的时间超过了心跳周期：持有者被暂停或已死，等待者将会接管。</translation>
    </message>
    <message>
        <source>orphaned</source>
        <comment>state.orphaned.name</comment>
        <translation>孤儿锁</translation>
    </message>
    <message>
        <source>The holder's own connection is gone from CLIENT LIST: the process that took it has died or lost its connection.</source>
        <comment>state.orphaned.meaning</comment>
        <translation>持有者自己的连接已从 CLIENT LIST 中消失：获取它的进程已死，或失去了连接。</translation>
    </message>
    <message>
        <source>split</source>
        <comment>state.split.name</comment>
        <translation>分裂</translation>
    </message>
    <message>
        <source>The nodes of the Redlock group disagree: some hold another value or none.</source>
        <comment>state.split.meaning</comment>
        <translation>Redlock 组的各节点意见不一：有的存着别的值，有的没有值。</translation>
    </message>
    <message>
        <source>free</source>
        <comment>state.free.name</comment>
        <translation>空闲</translation>
    </message>
    <message>
        <source>Nobody holds it any more: the key was deleted or expired.</source>
        <comment>state.free.meaning</comment>
        <translation>已没有人持有：键被删除或已过期。</translation>
    </message>
    <message>
        <source>unknown</source>
        <comment>state.unknown.name</comment>
        <translation>未知</translation>
    </message>
    <message>
        <source>An integer lock without a TTL: a process id (stuck if its holder is gone) or a live heartbeat counter. One look cannot tell: watch it for a few beats (locks --observe) to see whether it moves.</source>
        <comment>state.unknown.meaning</comment>
        <translation>没有 TTL 的整数锁：可能是进程 ID（若持有者已不在则会一直卡住），也可能是仍在跳动的心跳计数器。看一次无法分辨：观察几个心跳周期（locks --observe），看它是否变化。</translation>
    </message>
    <message>
        <source>unreachable</source>
        <comment>stale.unreachable</comment>
        <translation>不可达</translation>
    </message>
    <message>
        <source>clusterdown</source>
        <comment>stale.clusterdown</comment>
        <translation>集群不可用</translation>
    </message>
    <message>
        <source>busy</source>
        <comment>stale.busy</comment>
        <translation>忙碌</translation>
    </message>
    <message>
        <source>loading</source>
        <comment>stale.loading</comment>
        <translation>加载中</translation>
    </message>
    <message>
        <source>tryagain</source>
        <comment>stale.tryagain</comment>
        <translation>请重试</translation>
    </message>
    <message>
        <source>masterdown</source>
        <comment>stale.masterdown</comment>
        <translation>主节点宕机</translation>
    </message>
    <message>
        <source>no-permission</source>
        <comment>stale.no-permission</comment>
        <translation>无权限</translation>
    </message>
    <message>
        <source>redirect</source>
        <comment>stale.redirect</comment>
        <translation>重定向</translation>
    </message>
    <message>
        <source>error</source>
        <comment>stale.error</comment>
        <translation>错误</translation>
    </message>
    <message>
        <source>standalone</source>
        <comment>role.standalone</comment>
        <translation>单机</translation>
    </message>
    <message>
        <source>master</source>
        <comment>role.master</comment>
        <translation>主节点</translation>
    </message>
    <message>
        <source>replica</source>
        <comment>role.replica</comment>
        <translation>副本</translation>
    </message>
    <message>
        <source>sentinel</source>
        <comment>role.sentinel</comment>
        <translation>哨兵</translation>
    </message>
    <message>
        <source>running</source>
        <comment>node-state.running</comment>
        <translation>运行中</translation>
    </message>
    <message>
        <source>paused</source>
        <comment>node-state.paused</comment>
        <translation>已暂停</translation>
    </message>
    <message>
        <source>stopped</source>
        <comment>node-state.stopped</comment>
        <translation>已停止</translation>
    </message>
    <message>
        <source>standalone</source>
        <comment>topology.standalone</comment>
        <translation>单机</translation>
    </message>
    <message>
        <source>redlock</source>
        <comment>topology.redlock</comment>
        <translation>redlock</translation>
    </message>
    <message>
        <source>sentinel</source>
        <comment>topology.sentinel</comment>
        <translation>哨兵</translation>
    </message>
    <message>
        <source>cluster</source>
        <comment>topology.cluster</comment>
        <translation>集群</translation>
    </message>
    <message>
        <source>the run ended before the fault could be injected: give it more --ops.</source>
        <comment>verdict.not-injected</comment>
        <translation>运行在故障注入之前就结束了：请增加 --ops。</translation>
    </message>
    <message>
        <source>holders overlapped without any fault: %1.</source>
        <comment>verdict.overlap-without-fault</comment>
        <translation>没有任何故障，持有者却发生了重叠：%1。</translation>
    </message>
    <message>
        <source>not as documented (%1). Documented: %2</source>
        <comment>verdict.not-as-documented</comment>
        <translation>与文档不符（%1）。文档所述：%2</translation>
    </message>
    <message>
        <source>check-then-INCR is two requests: several workers read a count below the cap before any of their INCRs landed, so users got up to %1 votes against a cap of %2 (%3 over-votes).</source>
        <comment>counter-why.capped.naive.over-votes</comment>
        <translation>先检查再 INCR 是两次请求：几个工作者都在各自的 INCR 生效之前读到了低于上限的计数，于是用户最多得到了 %1 票，而上限是 %2（超投 %3 票）。</translation>
    </message>
    <message>
        <source>no over-vote this time (%1 worker(s) never raced at the cap); the gap between the check and the INCR is still there — run more workers.</source>
        <comment>counter-why.capped.naive.no-race</comment>
        <translation>这次没有超投（%1 个工作者没有在上限处发生竞争）；检查与 INCR 之间的空隙依然存在——请增加工作者。</translation>
    </message>
    <message>
        <source>the check and the INCRs run in one script, so no user got past the cap of %1 (most votes by one user: %2); %3 votes over the limit were refused.</source>
        <comment>counter-why.capped.atomic</comment>
        <translation>检查和 INCR 在同一个脚本里执行，所以没有用户超过上限 %1（单个用户最多 %2 票）；超出限制的 %3 票被拒绝。</translation>
    </message>
    <message>
        <source>UNEXPECTED: a user got past the cap of %1 (most votes by one user: %2); %3 votes over the limit were refused.</source>
        <comment>counter-why.capped.atomic.over-cap</comment>
        <translation>意外：有用户超过了上限 %1（单个用户最多 %2 票）；超出限制的 %3 票被拒绝。</translation>
    </message>
    <message>
        <source>NOT exact: %1 of %2 acknowledged increments are missing.</source>
        <comment>counter-why.not-exact</comment>
        <translation>不精确：Redis 确认过的 %2 次自增中丢失了 %1 次。</translation>
    </message>
    <message>
        <source>NOT exact: %1 of %2 acknowledged increments are missing although every GET+SET ran under the %3 lock: it let two workers in at once (%4).</source>
        <comment>counter-why.locked.not-exact</comment>
        <translation>不精确：Redis 确认过的 %2 次自增中丢失了 %1 次，尽管每次 GET+SET 都在 %3 锁内执行：这把锁同时放进了两个工作者（%4）。</translation>
    </message>
    <message>
        <source>GET and SET are two commands: while one worker added 1 to what it had read, others wrote, and its SET overwrote their increments — %1 of %2 updates lost (%3%).</source>
        <comment>counter-why.naive.lost</comment>
        <translation>GET 和 SET 是两条命令：一个工作者在它读到的值上加 1 时，其他人已经写入，它的 SET 覆盖了他们的自增——%2 次更新中丢失了 %1 次（%3%）。</translation>
    </message>
    <message>
        <source>one worker cannot race itself: run with more workers to see GET+SET lose updates.</source>
        <comment>counter-why.naive.one-worker</comment>
        <translation>一个工作者无法与自己竞争：用更多工作者运行，才能看到 GET+SET 丢失更新。</translation>
    </message>
    <message>
        <source>no overlap happened this time; the gap between GET and SET is still there — run more ops.</source>
        <comment>counter-why.naive.no-overlap</comment>
        <translation>这次没有发生重叠；GET 与 SET 之间的空隙依然存在——请增加操作数。</translation>
    </message>
    <message>
        <source>INCRBY adds on the server in one command, so increments cannot interleave: exact, one round trip each.</source>
        <comment>counter-why.incr</comment>
        <translation>INCRBY 用一条命令在服务器上做加法，自增之间不会交错：精确，每次一个往返。</translation>
    </message>
    <message>
        <source>GET, add and SET run in one script, and Redis runs a script to completion before serving anyone else: exact, one round trip each.</source>
        <comment>counter-why.lua</comment>
        <translation>GET、加法和 SET 在同一个脚本中执行，而 Redis 会把脚本执行完才服务其他人：精确，每次一个往返。</translation>
    </message>
    <message>
        <source>EXEC aborted whenever another worker wrote after this one's WATCH; the loop retried from a fresh GET (%1 retries, %2 per increment) and only committed transactions count: exact.</source>
        <comment>counter-why.watch</comment>
        <translation>每当别的工作者在本工作者 WATCH 之后写入，EXEC 就会中止；循环从新的 GET 重试（重试 %1 次，平均每次自增 %2 次），只有提交成功的事务才算数：精确。</translation>
    </message>
    <message>
        <source>a write landed only if the version was still the one read; %1 writes found it moved (a conflict, %2 per increment) and retried from a fresh read: exact.</source>
        <comment>counter-why.versioned</comment>
        <translation>只有当版本仍是读到的那个时写入才会生效；有 %1 次写入发现版本已变（冲突，平均每次自增 %2 次），并从新的读取重试：精确。</translation>
    </message>
    <message>
        <source>each GET+SET ran inside the %1 lock, one worker at a time: exact; %2 lock attempts found it busy.</source>
        <comment>counter-why.locked</comment>
        <translation>每次 GET+SET 都在 %1 锁内执行，一次只有一个工作者：精确；有 %2 次加锁尝试发现锁被占用。</translation>
    </message>
    <message>
        <source>each GET+SET ran inside the %1 lock, one worker at a time: exact; %2 lock attempts found it busy, and %3 increments gave up waiting.</source>
        <comment>counter-why.locked.gave-up</comment>
        <translation>每次 GET+SET 都在 %1 锁内执行，一次只有一个工作者：精确；有 %2 次加锁尝试发现锁被占用，另有 %3 次自增等待超时放弃。</translation>
    </message>
    <message>
        <source>increments were merged locally and sent as %1 INCRBYs for %2 increments (%3x fewer round trips); exact once every worker flushed. Until a flush Redis lags, and a crash loses what is pending.</source>
        <comment>counter-why.batched</comment>
        <translation>自增先在本地合并，%2 次自增只发送了 %1 次 INCRBY（往返次数减少到 1/%3）；所有工作者都刷新后结果精确。刷新之前 Redis 的值会滞后，进程崩溃则会丢失尚未发送的部分。</translation>
    </message>
    <message>
        <source>exact.</source>
        <comment>counter-why.exact</comment>
        <translation>精确。</translation>
    </message>
    <message>
        <source>not exact.</source>
        <comment>counter-why.inexact</comment>
        <translation>不精确。</translation>
    </message>
    <message>
        <source>FIFO lock (Redisson RFairLock layout): the queue's head is handed the lock by message</source>
        <comment>lock.fair.summary</comment>
        <translation>先进先出锁（Redisson RFairLock 布局）：通过消息把锁交给队首</translation>
    </message>
    <message>
        <source>a waiter that dies holds the queue up until its waiter timeout</source>
        <comment>lock.fair.hazard</comment>
        <translation>死掉的等待者会卡住队列，直到其等待超时</translation>
    </message>
    <message>
        <source>many readers or one writer (Redisson RReadWriteLock layout), reentrant, writers first</source>
        <comment>lock.read-write.summary</comment>
        <translation>多个读者或一个写者（Redisson RReadWriteLock 布局），可重入，写者优先</translation>
    </message>
    <message>
        <source>with readers first (Redisson's own policy) a stream of readers starves the writers</source>
        <comment>lock.read-write.hazard</comment>
        <translation>读者优先时（Redisson 自己的策略），源源不断的读者会让写者饿死</translation>
    </message>
    <message>
        <source>N permits (Redisson RSemaphore layout): take with DECR, give back with INCR</source>
        <comment>lock.semaphore.summary</comment>
        <translation>N 个许可（Redisson RSemaphore 布局）：用 DECR 获取，用 INCR 归还</translation>
    </message>
    <message>
        <source>a permit has no owner and no lease: a crashed holder's permit never comes back</source>
        <comment>lock.semaphore.hazard</comment>
        <translation>许可既无所有者也无租约：崩溃的持有者的许可永远不会回来</translation>
    </message>
    <message>
        <source>N permits, each with its own lease (Redisson RPermitExpirableSemaphore layout)</source>
        <comment>lock.expirable-semaphore.summary</comment>
        <translation>N 个许可，每个都有自己的租约（Redisson RPermitExpirableSemaphore 布局）</translation>
    </message>
    <message>
        <source>a holder paused past its lease loses its permit to another (N + 1 inside)</source>
        <comment>lock.expirable-semaphore.hazard</comment>
        <translation>暂停超过租约的持有者会把许可让给别人（里面有 N + 1 个）</translation>
    </message>
    <message>
        <source>countdown latch (Redisson RCountDownLatch layout): waiters block until it hits 0</source>
        <comment>lock.latch.summary</comment>
        <translation>倒计时门闩（Redisson RCountDownLatch 布局）：等待者阻塞直到计数归 0</translation>
    </message>
    <message>
        <source>no fault: the workers race for the lock until the first is done; who got how many</source>
        <comment>fault.contention.summary</comment>
        <translation>无故障：工作者争抢锁，直到第一个完成；看谁拿到了多少次</translation>
    </message>
    <message>
        <source>read-write: throughput as the read share grows; writers' waits with and without preference</source>
        <comment>fault.readers-writers.summary</comment>
        <translation>读写锁：读比例增加时的吞吐量；有无写者优先时写者的等待</translation>
    </message>
    <message>
        <source>a permit names no holder and has no lease: the killed holder's permit never came back, and with it gone the one-permit semaphore let nobody in again — every other worker waited until it gave up. The semaphore shrinks by one for good with every crash.</source>
        <comment>outcome.crash-holder.semaphore</comment>
        <translation>许可不记录持有者，也没有租约：被杀死的持有者的许可再也没有回来，单许可信号量从此不再放任何人进入——其他工作者都一直等到放弃。每崩溃一次，信号量就永久少一个许可。</translation>
    </message>
    <message>
        <source>each permit has its own lease: the killed holder's permit came back when its lease ran out, and the next acquisition reclaimed it; the others carried on, and the half-done section wrote nothing.</source>
        <comment>outcome.crash-holder.expirable-semaphore</comment>
        <translation>每个许可都有自己的租约：被杀死的持有者的许可在租约到期后回来了，下一次获取将其收回；其他工作者继续运行，做了一半的临界区什么也没写。</translation>
    </message>
    <message>
        <source>the fair lock grants in arrival order: each waiter queues once and is handed the lock by message when its turn comes, so every worker got about as many acquisitions as the others and nobody's wait was much longer than a round of the queue.</source>
        <comment>outcome.contention.fair</comment>
        <translation>公平锁按到达顺序授予：每个等待者只排一次队，轮到时通过消息拿到锁，所以每个工作者获得的次数都和别人差不多，也没有谁的等待比排一轮队长很多。</translation>
    </message>
    <message>
        <source>no order among waiters: after each release whoever retries first wins, so a worker that just released (or one whose backoff happened to be short) often takes the lock again while another keeps losing — uneven acquisitions and a long tail of waits. The fair lock is the cure.</source>
        <comment>outcome.contention.any</comment>
        <translation>等待者之间没有顺序：每次释放后谁先重试谁就赢，所以刚释放的工作者（或退避恰好较短的）常常再次拿到锁，而另一个一直落空——获取次数不均，等待时间长尾。公平锁可以解决。</translation>
    </message>
    <message>
        <source>readers held the lock together, so throughput grew with the share of reads, and no writer ever overlapped anyone. With writer preference a waiting writer stops new readers and gets in as soon as the readers inside leave; without it (Redisson's policy) readers keep joining readers, and under a read-heavy load a writer waits far longer — writer starvation.</source>
        <comment>outcome.readers-writers.read-write</comment>
        <translation>读者可以一起持有锁，所以吞吐量随读比例增长，且写者从未与任何人重叠。有写者优先时，等待中的写者会挡住新读者，里面的读者一离开它就进入；没有写者优先时（Redisson 的策略），读者不断加入读者，在以读为主的负载下写者要等得久得多——写者饥饿。</translation>
    </message>
    <message>
        <source>%1 matches</source>
        <comment>why.rule.named</comment>
        <translation>%1 匹配</translation>
    </message>
    <message>
        <source>a lock rule of yours matches</source>
        <comment>why.rule.yours</comment>
        <translation>你的一条锁规则匹配</translation>
    </message>
    <message>
        <source>known layout: value is a LockScope token</source>
        <comment>why.layout.lockscope-token</comment>
        <translation>已知格式：值是 LockScope 令牌</translation>
    </message>
    <message>
        <source>known layout: value is an expiry time in epoch ms (seed 000 / LockScope setnx-getset)</source>
        <comment>why.layout.setnx-getset</comment>
        <translation>已知格式：值是以纪元毫秒表示的到期时间（种子 000 / LockScope setnx-getset）</translation>
    </message>
    <message>
        <source>known layout: hash {owner, beat, period_ms} (LockScope heartbeat)</source>
        <comment>why.layout.heartbeat</comment>
        <translation>已知格式：哈希 {owner, beat, period_ms}（LockScope heartbeat）</translation>
    </message>
    <message>
        <source>known layout: hash of &lt;uuid&gt;:&lt;threadId&gt; hold counts, uuid of a connected LockScope client</source>
        <comment>why.layout.reentrant</comment>
        <translation>已知格式：&lt;uuid&gt;:&lt;threadId&gt; 持有计数的哈希，uuid 属于一个已连接的 LockScope 客户端</translation>
    </message>
    <message>
        <source>known layout: hash of &lt;uuid&gt;:&lt;threadId&gt; hold counts (Redisson RLock)</source>
        <comment>why.layout.redisson-lock</comment>
        <translation>已知格式：&lt;uuid&gt;:&lt;threadId&gt; 持有计数的哈希（Redisson RLock）</translation>
    </message>
    <message>
        <source>known layout: Redisson lock hash with a redisson_lock_token counter</source>
        <comment>why.layout.redisson-fenced-lock</comment>
        <translation>已知格式：带 redisson_lock_token 计数器的 Redisson 锁哈希</translation>
    </message>
    <message>
        <source>known layout: Redisson lock hash with a 'mode' field (RReadWriteLock)</source>
        <comment>why.layout.redisson-rw-lock</comment>
        <translation>已知格式：带 'mode' 字段的 Redisson 锁哈希（RReadWriteLock）</translation>
    </message>
    <message>
        <source>known layout: Redisson lock hash with a redisson_lock_queue (RFairLock)</source>
        <comment>why.layout.redisson-fair-lock</comment>
        <translation>已知格式：带 redisson_lock_queue 的 Redisson 锁哈希（RFairLock）</translation>
    </message>
    <message>
        <source>known layout: RFairLock hash and queue, uuid of a connected LockScope client (fair)</source>
        <comment>why.layout.fair</comment>
        <translation>已知格式：RFairLock 哈希与队列，uuid 属于一个已连接的 LockScope 客户端（fair）</translation>
    </message>
    <message>
        <source>known layout: RReadWriteLock hash, uuid of a connected LockScope client (read-write)</source>
        <comment>why.layout.read-write</comment>
        <translation>已知格式：RReadWriteLock 哈希，uuid 属于一个已连接的 LockScope 客户端（read-write）</translation>
    </message>
    <message>
        <source>known layout: integer of free permits with LockScope's lockscope_meta record (semaphore)</source>
        <comment>why.layout.semaphore</comment>
        <translation>已知格式：空闲许可数的整数，带 LockScope 的 lockscope_meta 记录（semaphore）</translation>
    </message>
    <message>
        <source>known layout: integer of free permits with a {k}:timeout lease set and LockScope's record</source>
        <comment>why.layout.expirable-semaphore</comment>
        <translation>已知格式：空闲许可数的整数，带 {k}:timeout 租约集合和 LockScope 的记录</translation>
    </message>
    <message>
        <source>known layout: integer of free permits with a {k}:timeout lease set (RPermitExpirableSemaphore)</source>
        <comment>why.layout.redisson-expirable-semaphore</comment>
        <translation>已知格式：空闲许可数的整数，带 {k}:timeout 租约集合（RPermitExpirableSemaphore）</translation>
    </message>
    <message>
        <source>known layout: integer count with LockScope's lockscope_meta latch record</source>
        <comment>why.layout.latch</comment>
        <translation>已知格式：计数整数，带 LockScope 的 lockscope_meta 门闩记录</translation>
    </message>
    <message>
        <source>known layout: value is a uuid1 hex token (redis-py Lock)</source>
        <comment>why.layout.redis-py</comment>
        <translation>已知格式：值是 uuid1 十六进制令牌（redis-py Lock）</translation>
    </message>
    <message>
        <source>known layout: lock:&lt;name&gt; with a 24-char base64 token (python-redis-lock)</source>
        <comment>why.layout.python-redis-lock</comment>
        <translation>已知格式：lock:&lt;name&gt;，值是 24 字符的 base64 令牌（python-redis-lock）</translation>
    </message>
    <message>
        <source>known layout: 32 hex chars under a lock-like name (node-redlock's token)</source>
        <comment>why.layout.node-redlock</comment>
        <translation>已知格式：锁名之下的 32 个十六进制字符（node-redlock 的令牌）</translation>
    </message>
    <message>
        <source>known layout: value ADDED:&lt;time&gt;@&lt;host&gt; (ShedLock)</source>
        <comment>why.layout.shedlock</comment>
        <translation>已知格式：值为 ADDED:&lt;time&gt;@&lt;host&gt;（ShedLock）</translation>
    </message>
    <message>
        <source>known layout: lock.&lt;name&gt; holding its expiry in epoch ms (node redis-lock)</source>
        <comment>why.layout.node-redis-lock</comment>
        <translation>已知格式：lock.&lt;name&gt;，值是以纪元毫秒表示的到期时间（node redis-lock）</translation>
    </message>
    <message>
        <source>known layout: </source>
        <comment>why.layout.other</comment>
        <translation>已知格式：</translation>
    </message>
    <message>
        <source>name has '%1'</source>
        <comment>why.name-has</comment>
        <translation>名称含 '%1'</translation>
    </message>
    <message>
        <source>value goes up every %1 ms</source>
        <comment>why.goes-up-every</comment>
        <translation>值每 %1 ms 增长一次</translation>
    </message>
    <message>
        <source>value goes up</source>
        <comment>why.goes-up</comment>
        <translation>值在增长</translation>
    </message>
    <message>
        <source>integer goes up and down: a hold count, not a heartbeat</source>
        <comment>why.hold-count</comment>
        <translation>整数有增有减：是持有计数，不是心跳</translation>
    </message>
    <message>
        <source>integer unchanged for %1 s while watched: a process id, or a heartbeat slower than that (not told apart yet)</source>
        <comment>why.integer-unchanged</comment>
        <translation>观察期间整数 %1 秒未变：是进程 id，或是比这更慢的心跳（尚无法区分）</translation>
    </message>
    <message>
        <source>value is JSON whose owner field names nobody</source>
        <comment>why.json-owner-nobody</comment>
        <translation>值是 JSON，但其持有者字段没有指明任何人</translation>
    </message>
    <message>
        <source>integer: a process id or a heartbeat, not measured</source>
        <comment>why.integer-not-measured</comment>
        <translation>整数：进程 id 或心跳，尚未测量</translation>
    </message>
    <message>
        <source>value is a LockScope token of another strategy</source>
        <comment>why.other-strategy-token</comment>
        <translation>值是另一种策略的 LockScope 令牌</translation>
    </message>
    <message>
        <source>value is short text, taken for the holder's name</source>
        <comment>why.short-text</comment>
        <translation>值是短文本，视为持有者的名字</translation>
    </message>
    <message>
        <source>value is a known layout</source>
        <comment>why.shape.layout</comment>
        <translation>值是已知布局</translation>
    </message>
    <message>
        <source>value is a random token</source>
        <comment>why.shape.token</comment>
        <translation>值是随机令牌</translation>
    </message>
    <message>
        <source>value is a UUID</source>
        <comment>why.shape.uuid</comment>
        <translation>值是 UUID</translation>
    </message>
    <message>
        <source>value is a flag</source>
        <comment>why.shape.flag</comment>
        <translation>值是标志</translation>
    </message>
    <message>
        <source>value is an integer</source>
        <comment>why.shape.integer</comment>
        <translation>值是整数</translation>
    </message>
    <message>
        <source>value is an epoch time in seconds</source>
        <comment>why.shape.epoch-seconds</comment>
        <translation>值是以秒表示的纪元时间</translation>
    </message>
    <message>
        <source>value is an epoch time in ms</source>
        <comment>why.shape.epoch-ms</comment>
        <translation>值是以毫秒表示的纪元时间</translation>
    </message>
    <message>
        <source>value is JSON with an owner</source>
        <comment>why.shape.json</comment>
        <translation>值是带所有者字段的 JSON</translation>
    </message>
    <message>
        <source>value is a number, which names no holder</source>
        <comment>why.shape.number</comment>
        <translation>值是数字，不指明持有者</translation>
    </message>
    <message>
        <source>value not of a known lock shape</source>
        <comment>why.not-known-shape</comment>
        <translation>值不是已知的锁形态</translation>
    </message>
    <message>
        <source>TTL set</source>
        <comment>why.ttl-set</comment>
        <translation>设有 TTL</translation>
    </message>
    <message>
        <source>no TTL</source>
        <comment>why.no-ttl</comment>
        <translation>无 TTL</translation>
    </message>
    <message>
        <source>beat %1, period %2 ms</source>
        <comment>details.beat-period</comment>
        <translation>心跳 %1，周期 %2 ms</translation>
    </message>
    <message>
        <source>beat %1, period not measured yet</source>
        <comment>details.beat-unmeasured</comment>
        <translation>心跳 %1，周期尚未测出</translation>
    </message>
    <message>
        <source>expires more than ten years from now by this clock</source>
        <comment>details.expires-far</comment>
        <translation>按本机时钟，十年以后才到期</translation>
    </message>
    <message>
        <source>expired long ago (over ten years) by this clock</source>
        <comment>details.expired-long-ago</comment>
        <translation>按本机时钟，早已过期（十年以上）</translation>
    </message>
    <message>
        <source>expires in %1 ms by this clock</source>
        <comment>details.expires-in.ms</comment>
        <translation>按本机时钟，%1 ms 后到期</translation>
    </message>
    <message>
        <source>expires in %1 s by this clock</source>
        <comment>details.expires-in.s</comment>
        <translation>按本机时钟，%1 秒后到期</translation>
    </message>
    <message>
        <source>expires in %1 min by this clock</source>
        <comment>details.expires-in.min</comment>
        <translation>按本机时钟，%1 分钟后到期</translation>
    </message>
    <message>
        <source>expires in %1 h by this clock</source>
        <comment>details.expires-in.h</comment>
        <translation>按本机时钟，%1 小时后到期</translation>
    </message>
    <message>
        <source>expires in %1 days by this clock</source>
        <comment>details.expires-in.days</comment>
        <translation>按本机时钟，%1 天后到期</translation>
    </message>
    <message>
        <source>expired %1 ms ago by this clock</source>
        <comment>details.expired-ago.ms</comment>
        <translation>按本机时钟，已过期 %1 ms</translation>
    </message>
    <message>
        <source>expired %1 s ago by this clock</source>
        <comment>details.expired-ago.s</comment>
        <translation>按本机时钟，已过期 %1 秒</translation>
    </message>
    <message>
        <source>expired %1 min ago by this clock</source>
        <comment>details.expired-ago.min</comment>
        <translation>按本机时钟，已过期 %1 分钟</translation>
    </message>
    <message>
        <source>expired %1 h ago by this clock</source>
        <comment>details.expired-ago.h</comment>
        <translation>按本机时钟，已过期 %1 小时</translation>
    </message>
    <message>
        <source>expired %1 days ago by this clock</source>
        <comment>details.expired-ago.days</comment>
        <translation>按本机时钟，已过期 %1 天</translation>
    </message>
    <message>
        <source>fencing token %1</source>
        <comment>details.fencing-token</comment>
        <translation>防护令牌 %1</translation>
    </message>
    <message>
        <source>hold count %1</source>
        <comment>details.hold-count</comment>
        <translation>持有计数 %1</translation>
    </message>
    <message>
        <source>write-locked</source>
        <comment>details.write-locked</comment>
        <translation>已加写锁</translation>
    </message>
    <message>
        <source>read-locked by %1 reader(s)</source>
        <comment>details.read-locked</comment>
        <translation>%1 个读者持有读锁</translation>
    </message>
    <message>
        <source>%1 writer(s) waiting</source>
        <comment>details.writers-waiting</comment>
        <translation>%1 个写者在等待</translation>
    </message>
    <message>
        <source>%1 of %2 permits free</source>
        <comment>details.permits-free</comment>
        <translation>%2 个许可中 %1 个空闲</translation>
    </message>
    <message>
        <source>%1 lease(s) ran out</source>
        <comment>details.leases-ran-out</comment>
        <translation>%1 个租约已到期</translation>
    </message>
    <message>
        <source>%1 of %2 count-downs to go</source>
        <comment>details.count-downs-of</comment>
        <translation>还差 %1 次倒数（共 %2 次）</translation>
    </message>
    <message>
        <source>%1 count-downs to go</source>
        <comment>details.count-downs</comment>
        <translation>还差 %1 次倒数</translation>
    </message>
    <message>
        <source>may be a heartbeat (observe %1 s to tell)</source>
        <comment>details.maybe-heartbeat</comment>
        <translation>可能是心跳（观察 %1 秒即可判断）</translation>
    </message>
    <message>
        <source>%1 of %2 nodes</source>
        <comment>details.nodes</comment>
        <translation>%2 个节点中的 %1 个</translation>
    </message>
    <message>
        <source>another worker acquired the lock %1 ms after the crash</source>
        <comment>event.recovered</comment>
        <translation>崩溃 %1 ms 后，另一个工作者获取到了锁</translation>
    </message>
    <message>
        <source>interrupted: stopping the workers</source>
        <comment>event.interrupted</comment>
        <translation>已中断：正在停止各工作者</translation>
    </message>
    <message>
        <source>the demo ran for %1 ms without finishing: stopping the workers</source>
        <comment>event.timed-out</comment>
        <translation>演示运行了 %1 ms 仍未结束：正在停止各工作者</translation>
    </message>
    <message>
        <source>the workers race for the lock until the first has done its sections</source>
        <comment>event.contention.race</comment>
        <translation>各工作者争抢同一把锁，直到第一个完成它的全部临界区</translation>
    </message>
    <message>
        <source>worker %1 (pid %2) finished first: stopping the others to compare who got how many</source>
        <comment>event.contention.finished-first</comment>
        <translation>工作者 %1（pid %2）率先完成：停止其他工作者，比较各自获取了多少次</translation>
    </message>
    <message>
        <source>worker %1 (pid %2) runs with its wall clock ahead by %3 ms</source>
        <comment>event.clock-skew.ahead</comment>
        <translation>工作者 %1（pid %2）的挂钟快 %3 ms</translation>
    </message>
    <message>
        <source>worker %1 (pid %2) runs with its wall clock behind by %3 ms</source>
        <comment>event.clock-skew.behind</comment>
        <translation>工作者 %1（pid %2）的挂钟慢 %3 ms</translation>
    </message>
    <message>
        <source>worker %1 (pid %2) runs with its wall clock ahead by %3 ms; it starts once the others are taking turns</source>
        <comment>event.clock-skew.ahead.late</comment>
        <translation>工作者 %1（pid %2）的挂钟快 %3 ms；它等其他工作者开始轮流持锁后才启动</translation>
    </message>
    <message>
        <source>worker %1 (pid %2) runs with its wall clock behind by %3 ms; it starts once the others are taking turns</source>
        <comment>event.clock-skew.behind.late</comment>
        <translation>工作者 %1（pid %2）的挂钟慢 %3 ms；它等其他工作者开始轮流持锁后才启动</translation>
    </message>
    <message>
        <source>stopped %1 of %2 nodes (%3, SIGSTOP: unreachable, data kept) for %4 ms; a quorum is %5</source>
        <comment>event.node-down.stopped</comment>
        <translation>停掉了 %2 个节点中的 %1 个（%3，SIGSTOP：不可达，数据保留），持续 %4 ms；法定数为 %5</translation>
    </message>
    <message>
        <source>nodes back (SIGCONT); %1 acquisitions while they were down</source>
        <comment>event.node-down.back</comment>
        <translation>节点已恢复（SIGCONT）；停机期间获取了 %1 次</translation>
    </message>
    <message>
        <source>crashed %1 (SIGKILL), so the next holder gets only a bare majority of %2 of %3 nodes</source>
        <comment>event.node-restart.crashed</comment>
        <translation>让 %1 崩溃（SIGKILL），因此下一个持有者只能拿到刚好多数：%3 个节点中的 %2 个</translation>
    </message>
    <message>
        <source>worker %1 (pid %2) holds the lock on nodes 0-%3 only; it is paused inside its section so that it is still there for what follows (its lease is valid for %4 ms)</source>
        <comment>event.node-restart.holder</comment>
        <translation>工作者 %1（pid %2）只在节点 0-%3 上持有锁；它在临界区内被暂停，好让它在接下来的步骤中仍然在场（它的租约还有 %4 ms 有效）</translation>
    </message>
    <message>
        <source>found no holder inside its section within 10 s; fault not injected</source>
        <comment>event.node-restart.no-holder</comment>
        <translation>10 秒内没找到处于临界区内的持有者；故障未注入</translation>
    </message>
    <message>
        <source>the crashed nodes are back, empty; crashed %1, one of the holder's nodes, which stays down for TTL + 200 ms before it restarts empty (a delayed restart): the lock is held on %2 node(s), %3 are free — not a majority without the one that is down</source>
        <comment>event.node-restart.delayed-crash</comment>
        <translation>崩溃过的节点已回来，数据为空；让持有者的节点之一 %1 崩溃，它停机 TTL + 200 ms 后才以空数据重启（延迟重启）：锁仍在 %2 个节点上被持有，%3 个节点空闲——少了停机的那个节点就凑不成多数</translation>
    </message>
    <message>
        <source>the crashed nodes are back, empty; restarted %1 without persistence: it forgot the lock, which is now held on %2 node(s) only, and %3 nodes are free — a majority</source>
        <comment>event.node-restart.restarted</comment>
        <translation>崩溃过的节点已回来，数据为空；无持久化地重启了 %1：它忘掉了这把锁，锁现在只在 %2 个节点上被持有，而 %3 个节点空闲——构成多数</translation>
    </message>
    <message>
        <source>another worker acquired a majority and entered while worker %1 still held its lease (%2 ms into a %3 ms TTL): two holders at once</source>
        <comment>event.node-restart.second-holder</comment>
        <translation>另一个工作者凑齐了多数并进入临界区，而工作者 %1 的租约仍然有效（%3 ms 的 TTL 才过了 %2 ms）：同时出现两个持有者</translation>
    </message>
    <message>
        <source>nobody else got in for %1 ms of the holder's lease: without the crashed node no majority can form</source>
        <comment>event.node-restart.nobody-else</comment>
        <translation>在持有者租约的 %1 ms 内没有其他人进入：少了崩溃的节点就凑不成多数</translation>
    </message>
    <message>
        <source>resumed worker %1 with SIGCONT</source>
        <comment>event.resumed-worker</comment>
        <translation>用 SIGCONT 恢复了工作者 %1</translation>
    </message>
    <message>
        <source>restarted %1 without persistence, %2 ms after it crashed (TTL %3 ms): every lease it had granted has expired, so forgetting them re-grants nothing</source>
        <comment>event.node-restart.delayed-restart</comment>
        <translation>在崩溃 %2 ms 后无持久化地重启了 %1（TTL %3 ms）：它发放过的租约都已到期，忘掉它们不会造成重复授予</translation>
    </message>
    <message>
        <source>resumed worker %1 with SIGCONT; it carries on as if it still held the lock</source>
        <comment>event.pause-holder.resumed</comment>
        <translation>用 SIGCONT 恢复了工作者 %1；它继续运行，仿佛仍持有锁</translation>
    </message>
    <message>
        <source>nobody has acquired for %1 ms and no permit is free: the dead holder's permit is gone for good; stopping the demo</source>
        <comment>event.crash-holder.permit-gone</comment>
        <translation>已有 %1 ms 没人获取成功，且没有空闲许可：死去的持有者的许可永远回不来了；停止演示</translation>
    </message>
    <message>
        <source>paused worker %1 (pid %2) with SIGSTOP inside its critical section, after its read, for %3 ms (TTL %4 ms)</source>
        <comment>event.pause-holder.paused</comment>
        <translation>在工作者 %1（pid %2）读取之后、仍在临界区内时用 SIGSTOP 暂停它 %3 ms（TTL %4 ms）</translation>
    </message>
    <message>
        <source>killed worker %1 (pid %2) with SIGKILL inside its critical section, holding the lock</source>
        <comment>event.crash-holder.killed</comment>
        <translation>在工作者 %1（pid %2）持有锁、处于临界区内时用 SIGKILL 杀死它</translation>
    </message>
    <message>
        <source>killed worker %1 (pid %2) with SIGKILL between its SETNX and its EXPIRE; the lock's PTTL is now %3</source>
        <comment>event.crash-holder.setnx-killed</comment>
        <translation>在工作者 %1（pid %2）执行完 SETNX、尚未执行 EXPIRE 时用 SIGKILL 杀死它；锁的 PTTL 现在是 %3</translation>
    </message>
    <message>
        <source>killed worker %1 (pid %2) with SIGKILL between its SETNX and its EXPIRE; the lock's PTTL is now %3 (no TTL)</source>
        <comment>event.crash-holder.setnx-killed.no-ttl</comment>
        <translation>在工作者 %1（pid %2）执行完 SETNX、尚未执行 EXPIRE 时用 SIGKILL 杀死它；锁的 PTTL 现在是 %3（没有 TTL）</translation>
    </message>
    <message>
        <source>nobody has acquired for %1 ms (%2 TTLs) and the lock still has no TTL: it is held forever; stopping the demo</source>
        <comment>event.crash-holder.stuck</comment>
        <translation>已有 %1 ms（%2 个 TTL）没人获取成功，锁仍然没有 TTL：它将被永远持有；停止演示</translation>
    </message>
    <message>
        <source>replica %1 cut off from its master (a master password that cannot work, then its link dropped): writes on the master no longer reach it, as when replication lags</source>
        <comment>event.failover.replica-cut</comment>
        <translation>副本 %1 与主节点断开（先设置一个无法通过的主节点密码，再断开复制连接）：主节点上的写入不再到达它，就像复制滞后时那样</translation>
    </message>
    <message>
        <source>client A was granted the lock on master %1 (not replicated yet) and is inside its critical section: it read %2</source>
        <comment>event.failover.a-granted</comment>
        <translation>客户端 A 在主节点 %1 上获得了锁（尚未复制），正处于临界区内：它读到了 %2</translation>
    </message>
    <message>
        <source>client A's SET succeeded on master %1, but WAIT %2 %3 answered that no replica had it: A gave the lock back and did not enter</source>
        <comment>event.failover.a-gave-back</comment>
        <translation>客户端 A 在主节点 %1 上的 SET 成功了，但 WAIT %2 %3 回答没有任何副本拿到它：A 交还了锁，没有进入临界区</translation>
    </message>
    <message>
        <source>client A found the lock busy on %1 (left over from an earlier run?)</source>
        <comment>event.failover.a-busy</comment>
        <translation>客户端 A 发现 %1 上的锁已被占用（上次运行遗留的？）</translation>
    </message>
    <message>
        <source>SENTINEL FAILOVER: %1 promoted in %2 ms; %3 still believes it is a master until the Sentinels demote it</source>
        <comment>event.failover.promoted</comment>
        <translation>哨兵故障转移：%1 在 %2 ms 内被提升为主节点；%3 在被哨兵降级之前仍以为自己是主节点</translation>
    </message>
    <message>
        <source>the promoted replica's master password restored: the write it never received is not on the new master</source>
        <comment>event.failover.replica-relinked</comment>
        <translation>已恢复被提升副本的主节点密码：它从未收到的那次写入不在新主节点上</translation>
    </message>
    <message>
        <source>interrupted while client B was asking the new master</source>
        <comment>event.failover.interrupted</comment>
        <translation>客户端 B 正在询问新的主节点时被中断</translation>
    </message>
    <message>
        <source>client B: %1 grants on the new master %2 given back because no replica acknowledged them; granted after %3 ms, once the old master had rejoined as its replica — WAIT trades availability for this</source>
        <comment>event.failover.b-gave-back.granted</comment>
        <translation>客户端 B：在新主节点 %2 上获得的 %1 次授予因没有副本确认而被交还；%3 ms 后，在旧主节点作为副本重新加入之后才获得锁——WAIT 以可用性换取了这一点</translation>
    </message>
    <message>
        <source>client B: %1 grants on the new master %2 given back because no replica acknowledged them; no replica came back within 30 s</source>
        <comment>event.failover.b-gave-back.none</comment>
        <translation>客户端 B：在新主节点 %2 上获得的 %1 次授予因没有副本确认而被交还；30 秒内没有副本回来</translation>
    </message>
    <message>
        <source>client B was granted the same lock on the new master %1 while client A was still inside: the lock was granted twice; B incremented the resource to %2</source>
        <comment>event.failover.b-granted.twice</comment>
        <translation>客户端 B 在新主节点 %1 上获得了同一把锁，而客户端 A 仍在临界区内：锁被授予了两次；B 把资源加到了 %2</translation>
    </message>
    <message>
        <source>client B was granted the same lock on the new master %1: nobody else was inside; B incremented the resource to %2</source>
        <comment>event.failover.b-granted.alone</comment>
        <translation>客户端 B 在新主节点 %1 上获得了同一把锁：当时没有别人在临界区内；B 把资源加到了 %2</translation>
    </message>
    <message>
        <source>client B found the lock held on the new master %1: the grant had replicated</source>
        <comment>event.failover.b-found-held</comment>
        <translation>客户端 B 发现新主节点 %1 上的锁已被持有：这次授予已经复制过去了</translation>
    </message>
    <message>
        <source>client A wrote %1 (accepted), and its release on %2 answered: %3</source>
        <comment>event.failover.a-wrote.accepted</comment>
        <translation>客户端 A 写入了 %1（被接受），它在 %2 上的释放得到的回答是：%3</translation>
    </message>
    <message>
        <source>client A wrote %1 (rejected as stale), and its release on %2 answered: %3</source>
        <comment>event.failover.a-wrote.rejected</comment>
        <translation>客户端 A 写入了 %1（作为过期写入被拒绝），它在 %2 上的释放得到的回答是：%3</translation>
    </message>
    <message>
        <source>%1% reads: %2 reads, %3 writes, up to %4 readers inside at once</source>
        <comment>event.readers-writers.phase</comment>
        <translation>%1% 读：%2 次读，%3 次写，最多 %4 个读者同时在内</translation>
    </message>
    <message>
        <source>%1% reads, no writer preference: %2 reads, %3 writes, up to %4 readers inside at once</source>
        <comment>event.readers-writers.phase.no-preference</comment>
        <translation>%1% 读，无写者优先：%2 次读，%3 次写，最多 %4 个读者同时在内</translation>
    </message>
    <message>
        <source>the fault was never injected</source>
        <comment>mismatch.not-injected</comment>
        <translation>故障始终没有注入</translation>
    </message>
    <message>
        <source>the demo did not run to its end</source>
        <comment>mismatch.did-not-finish</comment>
        <translation>演示没有运行到结束</translation>
    </message>
    <message>
        <source>violations %1, expected %2</source>
        <comment>mismatch.violations</comment>
        <translation>互斥违例 %1，预期 %2</translation>
    </message>
    <message>
        <source>lost updates %1, expected %2</source>
        <comment>mismatch.lost-updates</comment>
        <translation>丢失的更新 %1，预期 %2</translation>
    </message>
    <message>
        <source>stale writes rejected %1, expected %2</source>
        <comment>mismatch.stale-writes</comment>
        <translation>被拒绝的过期写入 %1，预期 %2</translation>
    </message>
    <message>
        <source>the least lucky worker got %1 of the luckiest's acquisitions, expected at least %2</source>
        <comment>mismatch.fairness</comment>
        <translation>最不走运的工作者的获取次数只有最走运者的 %1，预期至少 %2</translation>
    </message>
    <message>
        <source>nobody acquired after the fault</source>
        <comment>mismatch.nobody-after</comment>
        <translation>故障之后没有人获取成功</translation>
    </message>
    <message>
        <source>nobody acquired while the nodes were down</source>
        <comment>mismatch.nobody-during</comment>
        <translation>节点停机期间没有人获取成功</translation>
    </message>
    <message>
        <source>the lock did not stay stuck</source>
        <comment>mismatch.not-stuck</comment>
        <translation>锁没有一直卡住</translation>
    </message>
    <message>
        <source>%1 acquisitions while the nodes were down, expected none</source>
        <comment>mismatch.acquired-while-down</comment>
        <translation>节点停机期间获取了 %1 次，预期为 0</translation>
    </message>
    <message>
        <source>nobody acquired after the nodes came back</source>
        <comment>mismatch.nobody-after-back</comment>
        <translation>节点恢复后没有人获取成功</translation>
    </message>
    <message>
        <source>names %1 as master (config epoch %2, %3)</source>
        <comment>note.names-master</comment>
        <translation>认定 %1 为主节点（配置纪元 %2，%3）</translation>
    </message>
    <message>
        <source>paused (SIGSTOP): it does not answer</source>
        <comment>note.paused</comment>
        <translation>已暂停（SIGSTOP）：不会应答</translation>
    </message>
    <message>
        <source>master per the Sentinels</source>
        <comment>note.sentinel-master</comment>
        <translation>哨兵认定的主节点</translation>
    </message>
    <message>
        <source>; </source>
        <comment>clause separator</comment>
        <extracomment>Between the clauses of one line ("name has 'lock'; TTL set").</extracomment>
        <translation>；</translation>
    </message>
    <message>
        <source>%1 permits free: %2 above its size %3 (given back more often than taken, or added by a Redisson client)</source>
        <comment>details.permits-above-size</comment>
        <translation>%1 个许可空闲：比它的大小 %3 多出 %2 个（归还次数多于占用次数，或由 Redisson 客户端添加）</translation>
    </message>
    <message>
        <source>Held, with a TTL: it frees itself when the TTL runs out, unless the holder renews it first.</source>
        <comment>state.held.meaning</comment>
        <translation>被持有，且有 TTL：TTL 用完时它会自行释放，除非持有者先续期。</translation>
    </message>
    <message>
        <source>may outlive its task: lockAtLeastFor keeps it</source>
        <comment>details.shedlock</comment>
        <translation>可能比它的任务活得更久：lockAtLeastFor 会保留它</translation>
    </message>
    <message>
        <source>acquisitions were about even in this run (least / most %1): with %2 workers and %3 operations each the unfairness did not show. Without an order among waiters, whoever retries first after a release wins, so with more workers or operations a worker that just released often takes the lock again while another keeps losing; the fair lock is the cure.</source>
        <comment>outcome.contention.even</comment>
        <translation>本次运行中各工作者的获取次数大致均衡（最少/最多 %1）：%2 个工作者、每个 %3 次操作，没有显出不公平。等待者之间没有顺序时，释放后谁先重试谁就赢，所以工作者或操作更多时，刚释放的工作者常常再次拿到锁，而另一个一直落空；公平锁可以解决这个问题。</translation>
    </message>
    <message>
        <source>readers held the lock together (up to %1 at once) and no writer ever overlapped anyone; at 90% reads throughput was higher than with writes only (%2 against %3 ops/s), but it did not grow at every step in this run (%4 ops/s at 50% reads). With writer preference a waiting writer stops new readers and gets in as soon as the readers inside leave; without it (Redisson's policy) the writers' longest wait was longer (%5 against %6 ms) — writer starvation.</source>
        <comment>outcome.readers-writers.not-steady</comment>
        <translation>读者可以一起持有锁（最多同时 %1 个），且写者从未与任何人重叠；读占 90% 时的吞吐量高于只有写（%2 对 %3 次操作/秒），但本次运行中吞吐量并非每一步都增长（读占 50% 时为 %4 次操作/秒）。有写者优先时，等待中的写者会挡住新读者，里面的读者一离开它就进入；没有写者优先时（Redisson 的策略），写者的最长等待更长（%5 对 %6 毫秒）——写者饥饿。</translation>
    </message>
    <message>
        <source>readers held the lock together (up to %1 at once), so throughput grew with the share of reads (%2, %3, %4 ops/s at 0%, 50%, 90% reads), and no writer ever overlapped anyone. With writer preference a waiting writer stops new readers and gets in as soon as the readers inside leave; without it (Redisson's policy) the writers' longest wait was longer (%5 against %6 ms) — writer starvation.</source>
        <comment>outcome.readers-writers.grew</comment>
        <translation>读者可以一起持有锁（最多同时 %1 个），所以吞吐量随读比例增长（读占 0%、50%、90% 时为 %2、%3、%4 次操作/秒），且写者从未与任何人重叠。有写者优先时，等待中的写者会挡住新读者，里面的读者一离开它就进入；没有写者优先时（Redisson 的策略），写者的最长等待更长（%5 对 %6 毫秒）——写者饥饿。</translation>
    </message>
    <message>
        <source>known layout: zset of 44-char tokens scored by their expiry in ms (Symfony Lock)</source>
        <comment>why.layout.symfony-lock</comment>
        <translation>已知格式：以 44 字符令牌为成员、以到期时间（毫秒）为分数的 zset（Symfony Lock）</translation>
    </message>
    <message>
        <source>value is a hash with an owner field</source>
        <comment>why.shape.hash-owner</comment>
        <translation>值是带所有者字段的哈希</translation>
    </message>
    <message>
        <source>value is a time (epoch µs or ns, or ISO-8601)</source>
        <comment>why.shape.time</comment>
        <translation>值是一个时间（纪元微秒或纳秒，或 ISO-8601）</translation>
    </message>
    <message>
        <source>the TTL ends it, not the time in the value</source>
        <comment>why.time.ttl-ends</comment>
        <translation>由 TTL 结束它，而不是值里的时间</translation>
    </message>
    <message>
        <source>a time past without a TTL: when it was taken, nothing ends it</source>
        <comment>why.time.taken</comment>
        <translation>已过去的时间且没有 TTL：那是加锁的时间，没有什么会结束它</translation>
    </message>
    <message>
        <source>the time is its expiry (no TTL: the next waiter checks it)</source>
        <comment>why.time.expiry</comment>
        <translation>该时间就是它的到期时间（没有 TTL：下一个等待者会检查它）</translation>
    </message>
    <message>
        <source>its value's time is %1 ms ago by this clock (when it was taken)</source>
        <comment>details.taken-ago.ms</comment>
        <translation>按本机时钟，值里的时间是 %1 毫秒前（加锁的时间）</translation>
    </message>
    <message>
        <source>its value's time is %1 s ago by this clock (when it was taken)</source>
        <comment>details.taken-ago.s</comment>
        <translation>按本机时钟，值里的时间是 %1 秒前（加锁的时间）</translation>
    </message>
    <message>
        <source>its value's time is %1 min ago by this clock (when it was taken)</source>
        <comment>details.taken-ago.min</comment>
        <translation>按本机时钟，值里的时间是 %1 分钟前（加锁的时间）</translation>
    </message>
    <message>
        <source>its value's time is %1 h ago by this clock (when it was taken)</source>
        <comment>details.taken-ago.h</comment>
        <translation>按本机时钟，值里的时间是 %1 小时前（加锁的时间）</translation>
    </message>
    <message>
        <source>its value's time is %1 days ago by this clock (when it was taken)</source>
        <comment>details.taken-ago.days</comment>
        <translation>按本机时钟，值里的时间是 %1 天前（加锁的时间）</translation>
    </message>
    <message>
        <source>known layout: RFairLock queue (redisson_lock_queue) with %1 live waiter(s) while the lock's key is missing — between a release and the first waiter's grant, or its holder's lease ran out while others wait; waiters past their deadline are not counted</source>
        <comment>why.queue-without-lock</comment>
        <translation>已知格式：RFairLock 队列（redisson_lock_queue）中有 %1 个仍有效的等待者，而锁的键不存在——处于一次释放与第一个等待者获得锁之间，或其持有者的租约在他人等待时已到期；已过截止时间的等待者不计入</translation>
    </message>
    <message>
        <source>%1 waiting in its queue, nobody holds it</source>
        <comment>details.queued-no-holder</comment>
        <translation>队列中有 %1 个在等待，无人持有</translation>
    </message>
    <message>
        <source>known layout: &lt;digest&gt;:LOCKED, a hash of job id → time locked (sidekiq-unique-jobs; shown only: unlock it with the library)</source>
        <comment>why.layout.sidekiq-unique-jobs</comment>
        <translation>已知布局：&lt;digest&gt;:LOCKED，作业 ID → 加锁时间的哈希（sidekiq-unique-jobs；只显示：请用该库解锁）</translation>
    </message>
    <message>
        <source>a guess: a SETNX that never got its EXPIRE, or a switch an application set (a forum thread a moderator locked) — if it is no lock, a not-lock rule keeps it out</source>
        <comment>why.guess-no-ttl</comment>
        <translation>这是推测：可能是一次没等到 EXPIRE 的 SETNX，也可能是应用设置的开关（例如版主锁定的论坛帖子）——如果它不是锁，一条 not-lock 规则可以把它排除</translation>
    </message>
    <message>
        <source>value is binary (a Python pickle / Ruby Marshal value) holding true or a short string</source>
        <comment>why.shape.serialized</comment>
        <translation>值是二进制（Python pickle / Ruby Marshal 序列化值），内含 true 或一个短字符串</translation>
    </message>
    <message>
        <source>known layout: &lt;queue&gt;:&lt;job id&gt;:lock holding &lt;worker uuid&gt;:&lt;n&gt;, the worker's token for the job (BullMQ)</source>
        <comment>why.layout.bullmq</comment>
        <translation>已知布局：&lt;queue&gt;:&lt;job id&gt;:lock 存放 &lt;worker uuid&gt;:&lt;n&gt;，即该 worker 处理此任务的令牌（BullMQ）</translation>
    </message>
    <message>
        <source>known layout: activejob_uniqueness:&lt;job&gt;:&lt;digest&gt; holding a UUID (activejob-uniqueness, redlock-rb)</source>
        <comment>why.layout.activejob-uniqueness</comment>
        <translation>已知布局：activejob_uniqueness:&lt;job&gt;:&lt;digest&gt; 存放一个 UUID（activejob-uniqueness，redlock-rb）</translation>
    </message>
    <message>
        <source>known layout: qo_&lt;task&gt;_&lt;args&gt; holding a uuid1 hex token or its expiry, with a TTL (celery_once)</source>
        <comment>why.layout.celery-once</comment>
        <translation>已知布局：qo_&lt;task&gt;_&lt;args&gt; 存放 uuid1 十六进制令牌或其到期时间，带 TTL（celery_once）</translation>
    </message>
    <message>
        <source>known layout: a 16-character owner stored raw under Laravel's cache prefix (Cache::lock; other cache values are PHP-serialized)</source>
        <comment>why.layout.laravel-cache-lock</comment>
        <translation>已知布局：Laravel 缓存前缀下原样存放的 16 字符持有者（Cache::lock；其他缓存值都经 PHP 序列化）</translation>
    </message>
    <message>
        <source>value is a process's identity host:pid:nonce (as Sidekiq's)</source>
        <comment>why.shape.process-nonce</comment>
        <translation>值是进程标识 host:pid:nonce（同 Sidekiq 的写法）</translation>
    </message>
    <message>
        <source>value is a name (a host's, a process's or a person's)</source>
        <comment>why.shape.identity</comment>
        <translation>值是一个名字（主机、进程或人的名字）</translation>
    </message>
</context>
<context>
    <name>QObject</name>
    <message>
        <source> ms</source>
        <translation> 毫秒</translation>
    </message>
    <message>
        <source>no TTL (it never expires by itself)</source>
        <translation>无 TTL（永不自行过期）</translation>
    </message>
    <message>
        <source>unknown</source>
        <translation>未知</translation>
    </message>
    <message>
        <source>%1 ms</source>
        <translation>%1 毫秒</translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation>%1 秒</translation>
    </message>
    <message>
        <source>acquire</source>
        <translation>获取</translation>
    </message>
    <message>
        <source>release</source>
        <translation>释放</translation>
    </message>
    <message>
        <source>extend</source>
        <translation>延长</translation>
    </message>
    <message>
        <source>force-release</source>
        <translation>强制释放</translation>
    </message>
    <message>
        <source>set counter</source>
        <translation>设置计数器</translation>
    </message>
    <message>
        <source>reset counter</source>
        <translation>重置计数器</translation>
    </message>
    <message>
        <source>done</source>
        <translation>完成</translation>
    </message>
    <message>
        <source>read-only</source>
        <translation>只读</translation>
    </message>
    <message>
        <source>no node</source>
        <translation>无节点</translation>
    </message>
    <message>
        <source>bad input</source>
        <translation>输入有误</translation>
    </message>
    <message>
        <source>busy</source>
        <translation>被占用</translation>
    </message>
    <message>
        <source>holder changed</source>
        <translation>持有者已变</translation>
    </message>
    <message>
        <source>not held</source>
        <translation>未被持有</translation>
    </message>
    <message>
        <source>not owner</source>
        <translation>非持有者</translation>
    </message>
    <message>
        <source>not a lock</source>
        <translation>不是锁</translation>
    </message>
    <message>
        <source>no TTL</source>
        <translation>无 TTL</translation>
    </message>
    <message>
        <source>not supported</source>
        <translation>不支持</translation>
    </message>
    <message>
        <source>lost</source>
        <translation>已丢失</translation>
    </message>
    <message>
        <source>followed</source>
        <translation>已跟随</translation>
    </message>
    <message>
        <source>expired</source>
        <translation>已过期</translation>
    </message>
    <message>
        <source>not a counter</source>
        <translation>不是计数器</translation>
    </message>
    <message>
        <source>missing</source>
        <translation>不存在</translation>
    </message>
    <message>
        <source>refused</source>
        <translation>被拒绝</translation>
    </message>
    <message>
        <source>not connected</source>
        <translation>未连接</translation>
    </message>
    <message>
        <source>error</source>
        <translation>错误</translation>
    </message>
    <message>
        <source>partial</source>
        <translation>部分完成</translation>
    </message>
    <message>
        <source>audit log failed</source>
        <translation>审计日志写入失败</translation>
    </message>
    <message>
        <source>no TTL known</source>
        <translation>TTL 未知</translation>
    </message>
    <message>
        <source> Warning: %1.</source>
        <translation> 警告：%1。</translation>
    </message>
    <message>
        <source>Read-only mode: %1 of %2 was not sent. Turn off Actions &gt; Read-only mode to write.</source>
        <translation>只读模式：%2 的%1操作未发送。关闭“操作 &gt; 只读模式”后才能写入。</translation>
    </message>
    <message>
        <source>Not connected to a server yet.</source>
        <translation>尚未连接到服务器。</translation>
    </message>
    <message>
        <source>%1 of %2 failed: %3</source>
        <translation>%2 的%1操作失败：%3</translation>
    </message>
    <message>
        <source> But the audit log could not be written: %1.</source>
        <translation> 但审计日志无法写入：%1。</translation>
    </message>
    <message>
        <source> on %1/%2 nodes</source>
        <translation>（在 %1/%2 个节点上）</translation>
    </message>
    <message>
        <source>Give the lock a key.</source>
        <translation>请填写锁的键名。</translation>
    </message>
    <message>
        <source>Unknown lock strategy '%1'.</source>
        <translation>未知的锁策略“%1”。</translation>
    </message>
    <message>
        <source>The TTL must be at least 1 ms.</source>
        <translation>TTL 至少为 1 毫秒。</translation>
    </message>
    <message>
        <source>%1 works on one server, and this dashboard follows %2 nodes: use redlock.</source>
        <translation>%1 只适用于单个服务器，而本仪表盘正在跟踪 %2 个节点：请使用 redlock。</translation>
    </message>
    <message>
        <source>%1 leases cannot be renewed: acquire without holding.</source>
        <translation>%1 的租约无法续期：请获取后不保持。</translation>
    </message>
    <message>
        <source>%1 is busy%2%3.</source>
        <translation>%1 已被占用%2%3。</translation>
    </message>
    <message>
        <source> (held by %1, %2)</source>
        <translation>（持有者 %1，%2）</translation>
    </message>
    <message>
        <source> after waiting %1 ms</source>
        <translation>，已等待 %1 毫秒</translation>
    </message>
    <message>
        <source>Acquired %1 (%2, TTL %3)%4.</source>
        <translation>已获取 %1（%2，TTL %3）%4。</translation>
    </message>
    <message>
        <source>, held and renewed until you release it</source>
        <translation>，将保持并自动续期，直到你释放它</translation>
    </message>
    <message>
        <source>The lease on %1 ran out.</source>
        <translation>%1 的租约已到期。</translation>
    </message>
    <message>
        <source>The lease on %1 followed the master from %2 to %3: renewed there, it survived the failover.</source>
        <translation>%1 的租约随主节点从 %2 迁到了 %3：在新主节点上续期成功，挺过了故障转移。</translation>
    </message>
    <message>
        <source>Could not renew the lease on %1: %2. It is ours for %3 ms more; asking for the current master again.</source>
        <translation>无法为 %1 的租约续期：%2。它还归我们所有 %3 毫秒；正在重新询问当前主节点。</translation>
    </message>
    <message>
        <source>Lost the lease on %1: %2.</source>
        <translation>失去了 %1 的租约：%2。</translation>
    </message>
    <message>
        <source>This dashboard no longer holds that lease (it ran out or was released).</source>
        <translation>本仪表盘已不再持有该租约（已到期或已释放）。</translation>
    </message>
    <message>
        <source>Released %1.</source>
        <translation>已释放 %1。</translation>
    </message>
    <message>
        <source>%1 was not released: someone else holds it now (our lease had run out).</source>
        <translation>%1 未释放：现在由别人持有（我们的租约已到期）。</translation>
    </message>
    <message>
        <source>%1 was not held any more (it expired).</source>
        <translation>%1 已不再被持有（已过期）。</translation>
    </message>
    <message>
        <source>%1 locks cannot be extended.</source>
        <translation>%1 锁无法延长。</translation>
    </message>
    <message>
        <source>%1 was not extended: this dashboard's lease on it is gone (%2).</source>
        <translation>%1 未延长：本仪表盘对它的租约已不存在（%2）。</translation>
    </message>
    <message>
        <source>%1 was not extended: %2. The lease is ours for %3 ms more.</source>
        <translation>%1 未延长：%2。该租约还归我们所有 %3 毫秒。</translation>
    </message>
    <message>
        <source>Extended %1 to %2.</source>
        <translation>已将 %1 延长到 %2。</translation>
    </message>
    <message>
        <source>%1 has no holder to compare with: nothing to force-release.</source>
        <translation>%1 没有可比对的持有者：无需强制释放。</translation>
    </message>
    <message>
        <source>extended</source>
        <translation>延长</translation>
    </message>
    <message>
        <source>released</source>
        <translation>释放</translation>
    </message>
    <message>
        <source>%1 was not %2: %3. Nothing was sent: an action that cannot be logged is not taken.</source>
        <translation>%1 未%2：%3。未发送任何命令：无法记录日志的操作不会执行。</translation>
    </message>
    <message>
        <source>Extended %1 to %2%3.</source>
        <translation>已将 %1 延长到 %2%3。</translation>
    </message>
    <message>
        <source>Force-released %1%2 (logged to %3).</source>
        <translation>已强制释放 %1%2（已记录到 %3）。</translation>
    </message>
    <message>
        <source> Not on every node: %1.</source>
        <translation> 并非在每个节点上：%1。</translation>
    </message>
    <message>
        <source>No server to send it to.</source>
        <translation>没有可发送的服务器。</translation>
    </message>
    <message>
        <source>%1 was not %2: the lock changed (%3). Look at it again before acting.</source>
        <translation>%1 未%2：锁已变化（%3）。请重新查看后再操作。</translation>
    </message>
    <message>
        <source>%1 was not %2: the holder changed — it is now held by %3. Look at it again before acting.</source>
        <translation>%1 未%2：持有者已变——现在由 %3 持有。请重新查看后再操作。</translation>
    </message>
    <message>
        <source>%1 was not %2: nobody holds it any more.</source>
        <translation>%1 未%2：已经没有人持有它。</translation>
    </message>
    <message>
        <source>%1 was not %2: %3.</source>
        <translation>%1 未%2：%3。</translation>
    </message>
    <message>
        <source>%1 was not %2: %3 refused it: %4</source>
        <translation>%1 未%2：%3 拒绝了：%4</translation>
    </message>
    <message>
        <source>%1 was not %2: cannot reach %3: %4</source>
        <translation>%1 未%2：无法连接 %3：%4</translation>
    </message>
    <message>
        <source>%1 was not %2: %3 answered: %4</source>
        <translation>%1 未%2：%3 回复：%4</translation>
    </message>
    <message>
        <source> And the audit log could not be written: %1.</source>
        <translation> 而且审计日志无法写入：%1。</translation>
    </message>
    <message>
        <source>%1 was not changed: %2. Nothing was sent: a write that cannot be logged is not made.</source>
        <translation>%1 未更改：%2。未发送任何命令：无法记录日志的写入不会执行。</translation>
    </message>
    <message>
        <source>%1 %2 to %3 (was %4)%5.</source>
        <translation>%1 %2 为 %3（原为 %4）%5。</translation>
    </message>
    <message>
        <source>Reset</source>
        <translation>重置</translation>
    </message>
    <message>
        <source>Set</source>
        <translation>设置</translation>
    </message>
    <message>
        <source> Not on %1.</source>
        <translation> 未在 %1 上。</translation>
    </message>
    <message>
        <source>%1 was not changed: %2</source>
        <translation>%1 未更改：%2</translation>
    </message>
    <message>
        <source>%1 was not changed: it holds a %2 that is not a counter.</source>
        <translation>%1 未更改：它存放的是 %2，不是计数器。</translation>
    </message>
    <message>
        <source>%1 was not changed: the key does not exist (any more).</source>
        <translation>%1 未更改：该键不存在（或已不存在）。</translation>
    </message>
    <message>
        <source>SSH tunnel</source>
        <translation>SSH 隧道</translation>
    </message>
    <message>
        <source>TCP connect</source>
        <translation>TCP 连接</translation>
    </message>
    <message>
        <source>TLS handshake</source>
        <translation>TLS 握手</translation>
    </message>
    <message>
        <source>AUTH</source>
        <translation>AUTH 认证</translation>
    </message>
    <message>
        <source>PING / INFO</source>
        <translation>PING / INFO</translation>
    </message>
    <message>
        <source>via %1</source>
        <translation>经由 %1</translation>
    </message>
    <message>
        <source>, certificate NOT verified (--insecure)</source>
        <translation>，证书未验证（--insecure）</translation>
    </message>
    <message>
        <source>, certificate verified for %1</source>
        <translation>，证书已为 %1 验证</translation>
    </message>
    <message>
        <source>, certificate verified</source>
        <translation>，证书已验证</translation>
    </message>
    <message>
        <source>accepted%1</source>
        <translation>已接受%1</translation>
    </message>
    <message>
        <source> as %1</source>
        <translation>（用户 %1）</translation>
    </message>
    <message>
        <source>seconds since the strategy started</source>
        <translation>自该策略开始以来的秒数</translation>
    </message>
    <message>
        <source>starting a sandbox redis-server…</source>
        <translation>正在启动沙箱 redis-server…</translation>
    </message>
    <message>
        <source>starting %1 sandbox redis-servers (independent nodes)…</source>
        <translation>正在启动 %1 个沙箱 redis-server（独立节点）…</translation>
    </message>
    <message>
        <source>starting master + replica + 3 Sentinels for the failover…</source>
        <translation>正在为故障转移启动主节点 + 副本 + 3 个哨兵…</translation>
    </message>
    <message>
        <source>running…</source>
        <translation>运行中…</translation>
    </message>
    <message>
        <source>%1
Under contention: %2</source>
        <translation>%1
竞争下：%2</translation>
    </message>
    <message>
        <source>
naive: GET the count, then INCR</source>
        <translation>
naive：先 GET 计数，再 INCR</translation>
    </message>
    <message>
        <source>
atomic: check and INCR in one script</source>
        <translation>
atomic：在一个脚本里检查并 INCR</translation>
    </message>
    <message>
        <source>
The lock: set-nx-px</source>
        <translation>
所用的锁：set-nx-px</translation>
    </message>
    <message>
        <source>
The lock: %1 — %2</source>
        <translation>
所用的锁：%1 — %2</translation>
    </message>
    <message>
        <source>%1 min %2 s</source>
        <translation>%1 分 %2 秒</translation>
    </message>
    <message>
        <source>gone</source>
        <translation>已消失</translation>
    </message>
    <message>
        <source>TTL %1 ms</source>
        <translation>TTL %1 毫秒</translation>
    </message>
    <message>
        <source>TTL %1 s</source>
        <translation>TTL %1 秒</translation>
    </message>
    <message>
        <source>standalone server %1</source>
        <translation>单机服务器 %1</translation>
    </message>
    <message>
        <source>Redlock group of %1 independent masters (%2)</source>
        <translation>由 %1 个独立主节点组成的 Redlock 组（%2）</translation>
    </message>
    <message>
        <source>Sentinel group %1: master %2, replica %3, %4 Sentinels</source>
        <translation>哨兵组 %1：主节点 %2，副本 %3，%4 个哨兵</translation>
    </message>
    <message>
        <source>Redis Cluster of %1 nodes (3 masters + 3 replicas)</source>
        <translation>%1 个节点的 Redis 集群（3 主 + 3 从）</translation>
    </message>
    <message>
        <source>could not start the %1 topology: %2</source>
        <translation>无法启动 %1 拓扑：%2</translation>
    </message>
    <message>
        <source>%1: no topology is running</source>
        <translation>%1：没有正在运行的拓扑</translation>
    </message>
    <message>
        <source>%1: the topology shown was replaced; nothing was done</source>
        <translation>%1：显示的拓扑已被替换；未执行任何操作</translation>
    </message>
    <message>
        <source>%1: there is no node %2</source>
        <translation>%1：没有节点 %2</translation>
    </message>
    <message>
        <source>%1 failed: %2</source>
        <translation>%1 失败：%2</translation>
    </message>
    <message>
        <source>node %1 (%2, %3)</source>
        <translation>节点 %1（%2，%3）</translation>
    </message>
    <message>
        <source>stop: %1 is already stopped</source>
        <translation>停止：%1 已经停止</translation>
    </message>
    <message>
        <source>stopped %1 with SIGTERM in %2</source>
        <translation>已用 SIGTERM 停止 %1，用时 %2</translation>
    </message>
    <message>
        <source>start: %1 is not stopped</source>
        <translation>启动：%1 并未停止</translation>
    </message>
    <message>
        <source>started %1 again (pid %2)</source>
        <translation>已重新启动 %1（pid %2）</translation>
    </message>
    <message>
        <source>pause: %1 is not running</source>
        <translation>暂停：%1 未在运行</translation>
    </message>
    <message>
        <source>paused %1 with SIGSTOP: it does not answer until resumed</source>
        <translation>已用 SIGSTOP 暂停 %1：恢复之前它不会应答</translation>
    </message>
    <message>
        <source>resume: %1 is not paused</source>
        <translation>恢复：%1 并未暂停</translation>
    </message>
    <message>
        <source>resumed %1 with SIGCONT</source>
        <translation>已用 SIGCONT 恢复 %1</translation>
    </message>
    <message>
        <source>kill: %1 is already stopped</source>
        <translation>杀死：%1 已经停止</translation>
    </message>
    <message>
        <source>killed %1 with SIGKILL (a crash)</source>
        <translation>已用 SIGKILL 杀死 %1（模拟崩溃）</translation>
    </message>
    <message>
        <source>restart cancelled: its topology was stopped</source>
        <translation>重启已取消：它所在的拓扑已停止</translation>
    </message>
    <message>
        <source>restart failed: %1</source>
        <translation>重启失败：%1</translation>
    </message>
    <message>
        <source> after %1 down</source>
        <translation>，宕机 %1 之后</translation>
    </message>
    <message>
        <source>restart of %1: it had been started again meanwhile</source>
        <translation>重启 %1：它在此期间已被重新启动</translation>
    </message>
    <message>
        <source>restarted %1 empty%2 (pid %3)</source>
        <translation>已清空重启 %1%2（pid %3）</translation>
    </message>
    <message>
        <source>failed over %1 from %2 to %3 in %4</source>
        <translation>已将 %1 从 %2 故障转移到 %3，用时 %4</translation>
    </message>
    <message>
        <source>failed over %1 to its replica %2 in %3 (CLUSTER FAILOVER)</source>
        <translation>已将 %1 故障转移到其副本 %2，用时 %3（CLUSTER FAILOVER）</translation>
    </message>
    <message>
        <source>%1 µs</source>
        <translation>%1 µs</translation>
    </message>
    <message>
        <source>%1 is not a %2 lock: it is %3. Nothing changed; choose the strategy of its format (the Locks table's Format column).</source>
        <translation>%1 不是 %2 锁：它是 %3。没有做任何改动；请选择与其格式相符的策略（见锁表的“格式”列）。</translation>
    </message>
    <message>
        <source>Released one hold of %1%2: %3 still holds it (%4 left; logged to %5).</source>
        <translation>已释放 %1%2 的一次持有：%3 仍持有它（剩余 %4 次；已记录到 %5）。</translation>
    </message>
    <message>
        <source>Force-released %1%2 for %3; still held by %4 (logged to %5).</source>
        <translation>已为 %3 强制释放 %1%2；仍由 %4 持有（已记录到 %5）。</translation>
    </message>
    <message>
        <source>%1 was not %2: the count changed: %3 of %4 left. Look at it again before acting.</source>
        <translation>%1 未%2：计数已变——还剩 %3（共 %4）。请重新查看后再操作。</translation>
    </message>
    <message>
        <source>%1 was not %2: the count changed: %3 left. Look at it again before acting.</source>
        <translation>%1 未%2：计数已变——还剩 %3。请重新查看后再操作。</translation>
    </message>
    <message>
        <source>%1 was not %2: the permits taken changed: now %3 of %4. Look at it again before acting.</source>
        <translation>%1 未%2：已占用的许可数已变——现在是 %3（共 %4）。请重新查看后再操作。</translation>
    </message>
    <message>
        <source>Acquired a permit of %1 (%2: no lease, it is held until you release it).</source>
        <translation>已获取 %1 的一个许可（%2：没有租约，一直持有到你释放它）。</translation>
    </message>
    <message>
        <source>The permit of %1 followed the master from %2 to %3: it is recorded there, it survived the failover.</source>
        <translation>%1 的许可随主节点从 %2 转到 %3：那里记录着它，它在故障转移后仍然有效。</translation>
    </message>
    <message>
        <source>Could not check the permit of %1: %2. A plain permit has no lease, it stays taken; asking for the current master again.</source>
        <translation>无法检查 %1 的许可：%2。普通许可没有租约，它仍被占用；正在重新询问当前主节点。</translation>
    </message>
    <message>
        <source>Lost the permit of %1: %2.</source>
        <translation>失去了 %1 的许可：%2。</translation>
    </message>
    <message>
        <source>host %1, pid %2, </source>
        <translation>主机 %1，pid %2，</translation>
    </message>
    <message>
        <source>connection unknown (CLIENT LIST refused, or the token names no process)</source>
        <translation>连接情况未知（CLIENT LIST 被拒绝，或令牌未指明进程）</translation>
    </message>
    <message>
        <source>connected</source>
        <translation>已连接</translation>
    </message>
    <message>
        <source>not connected: its holder is gone, its permit leaked</source>
        <translation>未连接：其持有者已不在，它的许可已泄漏</translation>
    </message>
    <message>
        <source>%1 was not opened: the count changed — it is now %2. Look at it again before opening it.</source>
        <translation>%1 未打开：计数已变——现在是 %2。请重新查看后再打开。</translation>
    </message>
    <message>
        <source>%1 of %2</source>
        <translation>%1 / %2</translation>
    </message>
    <message>
        <source>No permit of %1 was given back: the permits taken changed — now %2. Look at it again before giving any back.</source>
        <translation>%1 没有归还任何许可：已占用的许可数已变——现在是 %2。请重新查看后再归还。</translation>
    </message>
    <message>
        <source>%1 was not released: that permit was given back (or its lease ran out) — it is no longer taken. Look at it again before acting.</source>
        <translation>%1 未释放：该许可已被归还（或其租约已到期）——它已不再被占用。请重新查看后再操作。</translation>
    </message>
    <message>
        <source>%1 was not released: the permits taken changed — now %2. Look at it again before acting.</source>
        <translation>%1 未释放：已占用的许可已变——现在是 %2。请重新查看后再操作。</translation>
    </message>
    <message>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <source>LockScope only guessed that this is a lock (%1): no library&apos;s layout and no rule of yours says so. A ban, a login lockout or a setting can look the same, and this changes it all the same.</source>
        <translation>LockScope 只是猜测这是一把锁（%1）：没有哪个库的布局、也没有您的规则这样说。封禁、登录锁定或设置看起来可能一模一样，而此操作同样会改动它。</translation>
    </message>
    <message>
        <source>I checked that it is a lock</source>
        <translation>我已核实这是一把锁</translation>
    </message>
    <message>
        <source>%1 was not %2: LockScope only guessed that it is a lock (the detail pane says why). A ban, a login lockout or a setting can look the same: tick &quot;I checked that it is a lock&quot; if you did, or add a lock rule for keys like it (Settings → Lock rules…).</source>
        <translation>%1 未%2：LockScope 只是猜测它是一把锁（详情面板说明了原因）。封禁、登录锁定或设置看起来可能一模一样：如果您已核实，请勾选“我已核实这是一把锁”，或为此类键添加一条锁规则（设置 → 锁规则…）。</translation>
    </message>
</context>
<context>
    <name>lockscope::ui::AcquireDialog</name>
    <message>
        <source>Acquire a lock</source>
        <translation>获取锁</translation>
    </message>
    <message>
        <source>lock:invoice-42</source>
        <translation>lock:invoice-42</translation>
    </message>
    <message>
        <source>Bytes that are not text are written \xHH, as the tables show them.</source>
        <translation>不是文本的字节写作 \xHH，与表格中的显示方式相同。</translation>
    </message>
    <message>
        <source>
Hazard: %1</source>
        <translation>
风险：%1</translation>
    </message>
    <message>
        <source>Hold with auto-renew until released</source>
        <translation>保持并自动续期，直到释放</translation>
    </message>
    <message>
        <source>The dashboard keeps the lease and renews it every TTL/3 (heartbeat and reentrant renew themselves) until you release it or quit.</source>
        <translation>仪表盘保持该租约并每隔 TTL/3 续期一次（heartbeat 和 reentrant 自行续期），直到你释放它或退出。</translation>
    </message>
    <message>
        <source> ms</source>
        <translation> 毫秒</translation>
    </message>
    <message>
        <source>do not wait</source>
        <translation>不等待</translation>
    </message>
    <message>
        <source>Acquire</source>
        <translation>获取</translation>
    </message>
    <message>
        <source>&amp;Key</source>
        <translation>键(&amp;K)</translation>
    </message>
    <message>
        <source>&amp;Strategy</source>
        <translation>策略(&amp;S)</translation>
    </message>
    <message>
        <source>&amp;TTL</source>
        <translation>TTL(&amp;T)</translation>
    </message>
    <message>
        <source>&amp;Wait if busy</source>
        <translation>被占用时等待(&amp;W)</translation>
    </message>
    <message>
        <source>Type the key of the lock.</source>
        <translation>请输入锁的键名。</translation>
    </message>
    <message>
        <source>The key has a broken escape: write a backslash as \\ and other bytes as \xHH.</source>
        <translation>键名中的转义有误：反斜杠写作 \\，其他字节写作 \xHH。</translation>
    </message>
    <message>
        <source>write (exclusive)</source>
        <translation>写（独占）</translation>
    </message>
    <message>
        <source>read (shared with other readers)</source>
        <translation>读（与其他读者共享）</translation>
    </message>
    <message>
        <source>The semaphore's size when this acquire creates it; an existing semaphore keeps its own.</source>
        <translation>本次获取创建信号量时它的大小；已存在的信号量保持自己的大小。</translation>
    </message>
    <message>
        <source>&amp;Mode</source>
        <translation>模式(&amp;M)</translation>
    </message>
    <message>
        <source>&amp;Permits</source>
        <translation>许可数(&amp;P)</translation>
    </message>
</context>
<context>
    <name>lockscope::ui::ActionLogModel</name>
    <message>
        <source>running…</source>
        <translation>运行中…</translation>
    </message>
    <message>
        <source>Waiting for the server…</source>
        <translation>正在等待服务器…</translation>
    </message>
    <message>
        <source>lease</source>
        <translation>租约</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>操作</translation>
    </message>
    <message>
        <source>Key</source>
        <translation>键</translation>
    </message>
    <message>
        <source>Outcome</source>
        <translation>结果</translation>
    </message>
</context>
<context>
    <name>lockscope::ui::ActionService</name>
    <message>
        <source>%1 of %2 was not sent: no server is known to hold this key yet (the cluster's slot map or the Sentinels' master is still being read). Try again in a moment.</source>
        <translation>%2 的%1操作未发送：尚不知道哪个服务器持有这个键（集群的槽位映射或哨兵的主节点仍在读取中）。请稍后再试。</translation>
    </message>
</context>
<context>
    <name>lockscope::ui::ActionsController</name>
    <message>
        <source>&amp;Acquire Lock…</source>
        <translation>获取锁(&amp;A)…</translation>
    </message>
    <message>
        <source>Take a lock with a strategy and TTL of your choice</source>
        <translation>用你选择的策略和 TTL 获取一个锁</translation>
    </message>
    <message>
        <source>&amp;Release My Lease</source>
        <translation>释放我的租约(&amp;R)</translation>
    </message>
    <message>
        <source>Release the selected lock, which this dashboard holds</source>
        <translation>释放选中的、由本仪表盘持有的锁</translation>
    </message>
    <message>
        <source>&amp;Extend…</source>
        <translation>延长(&amp;E)…</translation>
    </message>
    <message>
        <source>Reset the selected lock's TTL, if its holder is still the one shown</source>
        <translation>若持有者仍是显示的那一个，则重置选中锁的 TTL</translation>
    </message>
    <message>
        <source>&amp;Force-Release…</source>
        <translation>强制释放(&amp;F)…</translation>
    </message>
    <message>
        <source>Delete the selected lock if it is still held by the holder shown (asks first, logged)</source>
        <translation>若选中的锁仍由显示的持有者持有，则删除它（会先询问，并记录日志）</translation>
    </message>
    <message>
        <source>&amp;Set Counter Value…</source>
        <translation>设置计数器的值(&amp;S)…</translation>
    </message>
    <message>
        <source>Re&amp;set Counter…</source>
        <translation>重置计数器(&amp;S)…</translation>
    </message>
    <message>
        <source>Set the selected counter to 0 (asks first, logged)</source>
        <translation>将选中的计数器设为 0（会先询问，并记录日志）</translation>
    </message>
    <message>
        <source>Release &amp;All My Leases</source>
        <translation>释放我的全部租约(&amp;A)</translation>
    </message>
    <message>
        <source>&amp;My Leases</source>
        <translation>我的租约(&amp;M)</translation>
    </message>
    <message>
        <source>&lt;b&gt;Read-only mode:&lt;/b&gt; every write is disabled. Actions &gt; Read-only mode turns it off.</source>
        <translation>&lt;b&gt;只读模式：&lt;/b&gt;所有写操作均已禁用。“操作 &gt; 只读模式”可关闭它。</translation>
    </message>
    <message>
        <source>Action Log</source>
        <translation>操作日志</translation>
    </message>
    <message>
        <source>Actions</source>
        <translation>操作</translation>
    </message>
    <message>
        <source>Reset a counter</source>
        <translation>重置计数器</translation>
    </message>
    <message>
        <source>Set %1 (now %2) to 0?</source>
        <translation>将 %1（当前为 %2）设为 0？</translation>
    </message>
    <message>
        <source>Clients counting on it continue from 0. The reset is logged to %1.</source>
        <translation>依赖它计数的客户端将从 0 继续。此次重置会记录到 %1。</translation>
    </message>
    <message>
        <source>Reset to 0</source>
        <translation>重置为 0</translation>
    </message>
    <message>
        <source>Not released</source>
        <translation>未释放</translation>
    </message>
    <message>
        <source>Copy Key</source>
        <translation>复制键名</translation>
    </message>
    <message>
        <source>Copy Holder</source>
        <translation>复制持有者</translation>
    </message>
    <message>
        <source>Release %1 (%2%3)</source>
        <translation>释放 %1（%2%3）</translation>
    </message>
    <message>
        <source>, renewing on %1</source>
        <translation>，在 %1 上续期</translation>
    </message>
    <message>
        <source>, RENEWAL FAILING: %1</source>
        <translation>，续期失败：%1</translation>
    </message>
    <message>
        <source>A latch has no lease to extend: it stays until its count reaches zero</source>
        <translation>闩锁没有可延长的租约：它一直存在，直到计数降到零</translation>
    </message>
    <message>
        <source>A plain semaphore's permit has no lease to extend: it is held until it is given back (an expirable semaphore's permits have one)</source>
        <translation>普通信号量的许可没有可延长的租约：它一直被占用，直到被归还（可过期信号量的许可才有租约）</translation>
    </message>
    <message>
        <source>A sidekiq-unique-jobs lock: LockScope shows it but does not change it — its unlock also clears the digest from uniquejobs:digests and its lists. Unlock it with the library: SidekiqUniqueJobs::Digests.new.delete_by_digest(digest), or Delete on the Locks page of Sidekiq's web UI</source>
        <translation>sidekiq-unique-jobs 锁：LockScope 只显示、不修改它——它的解锁还会把摘要从 uniquejobs:digests 及其列表中清除。请用该库解锁：SidekiqUniqueJobs::Digests.new.delete_by_digest(digest)，或在 Sidekiq 网页界面的 Locks 页面点击 Delete</translation>
    </message>
</context>
<context>
    <name>lockscope::ui::ConnectionDialog</name>
    <message>
        <source>Connect — LockScope</source>
        <translation>连接 — LockScope</translation>
    </message>
    <message>
        <source>Password read from the system keychain.</source>
        <translation>已从系统密钥环读取密码。</translation>
    </message>
    <message>
        <source>The password was not saved in the keychain: %1</source>
        <translation>密码未保存到密钥环：%1</translation>
    </message>
    <message>
        <source>&lt;b&gt;Connect to a Redis server&lt;/b&gt;&lt;br&gt;The connection is tried first; LockScope only reads until you act.</source>
        <translation>&lt;b&gt;连接到 Redis 服务器&lt;/b&gt;&lt;br&gt;会先测试连接；在你操作之前 LockScope 只做读取。</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>Forget this profile and its saved password</source>
        <translation>删除此配置及其保存的密码</translation>
    </message>
    <message>
        <source>Server URL</source>
        <translation>服务器 URL</translation>
    </message>
    <message>
        <source>Host and port</source>
        <translation>主机和端口</translation>
    </message>
    <message>
        <source>Node group (Redlock)</source>
        <translation>节点组（Redlock）</translation>
    </message>
    <message>
        <source>Embedded sandbox</source>
        <translation>内置沙箱</translation>
    </message>
    <message>
        <source>redis://[user:pass@]host[:port][/db] — one server
unix:///path/to/redis.sock[?db=N] — one server on a unix socket
redis+sentinel://host:port[,host:port…]/master[/db] — the master the Sentinels name, followed across failovers
redis+cluster://host:port[,host:port…] — every master of a Redis Cluster</source>
        <translation>redis://[user:pass@]host[:port][/db] — 单个服务器
unix:///path/to/redis.sock[?db=N] — unix 套接字上的单个服务器
redis+sentinel://host:port[,host:port…]/master[/db] — 哨兵指定的主节点，故障转移后继续跟随
redis+cluster://host:port[,host:port…] — Redis 集群的所有主节点</translation>
    </message>
    <message>
        <source>default</source>
        <translation>默认</translation>
    </message>
    <message>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <source>Remember the password in the system keychain</source>
        <translation>在系统密钥环中记住密码</translation>
    </message>
    <message>
        <source>Saved &amp;profile:</source>
        <translation>已保存的配置(&amp;P)：</translation>
    </message>
    <message>
        <source>Connect &amp;to:</source>
        <translation>连接到(&amp;T)：</translation>
    </message>
    <message>
        <source>&amp;URL:</source>
        <translation>&amp;URL：</translation>
    </message>
    <message>
        <source>&amp;Host:</source>
        <translation>主机(&amp;H)：</translation>
    </message>
    <message>
        <source>P&amp;ort:</source>
        <translation>端口(&amp;O)：</translation>
    </message>
    <message>
        <source>&amp;Nodes:</source>
        <translation>节点(&amp;N)：</translation>
    </message>
    <message>
        <source>&amp;Database:</source>
        <translation>数据库(&amp;D)：</translation>
    </message>
    <message>
        <source>U&amp;ser:</source>
        <translation>用户(&amp;S)：</translation>
    </message>
    <message>
        <source>&amp;Password:</source>
        <translation>密码(&amp;P)：</translation>
    </message>
    <message>
        <source>a name to keep this connection under</source>
        <translation>为此连接起个名字以便保存</translation>
    </message>
    <message>
        <source>Sa&amp;ve profile</source>
        <translation>保存配置(&amp;V)</translation>
    </message>
    <message>
        <source>Save &amp;as:</source>
        <translation>另存为(&amp;A)：</translation>
    </message>
    <message>
        <source>&amp;Test connection</source>
        <translation>测试连接(&amp;T)</translation>
    </message>
    <message>
        <source>&amp;Connect</source>
        <translation>连接(&amp;C)</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <source>T&amp;LS: encrypt, and verify the server's certificate</source>
        <translation>T&amp;LS：加密，并验证服务器证书</translation>
    </message>
    <message>
        <source>rediss:// turns it on</source>
        <translation>rediss:// 会自动开启</translation>
    </message>
    <message>
        <source>PEM file; empty: the system's trusted CAs</source>
        <translation>PEM 文件；留空：使用系统信任的 CA</translation>
    </message>
    <message>
        <source>a directory made with openssl rehash</source>
        <translation>用 openssl rehash 生成的目录</translation>
    </message>
    <message>
        <source>for servers with tls-auth-clients yes</source>
        <translation>用于设置了 tls-auth-clients yes 的服务器</translation>
    </message>
    <message>
        <source>the client certificate's private key (PEM)</source>
        <translation>客户端证书的私钥（PEM）</translation>
    </message>
    <message>
        <source>none (kept in the keychain, never in a profile)</source>
        <translation>无（保存在密钥环中，从不写入配置）</translation>
    </message>
    <message>
        <source>the host connected to</source>
        <translation>所连接的主机</translation>
    </message>
    <message>
        <source>The server name sent and verified instead of the host connected to</source>
        <translation>代替所连接主机名而发送并验证的服务器名称</translation>
    </message>
    <message>
        <source>Do not verify the certificate (insecure)</source>
        <translation>不验证证书（不安全）</translation>
    </message>
    <message>
        <source>⚠ Without verification anyone between here and the server can read and change the connection. Use it only to look at a test server.</source>
        <translation>⚠ 不做验证时，你与服务器之间的任何人都能读取和篡改连接。仅用于查看测试服务器。</translation>
    </message>
    <message>
        <source>CA &amp;file:</source>
        <translation>CA 文件(&amp;F)：</translation>
    </message>
    <message>
        <source>CA director&amp;y:</source>
        <translation>CA 目录(&amp;Y)：</translation>
    </message>
    <message>
        <source>Client &amp;certificate:</source>
        <translation>客户端证书(&amp;C)：</translation>
    </message>
    <message>
        <source>Client &amp;key:</source>
        <translation>客户端私钥(&amp;K)：</translation>
    </message>
    <message>
        <source>Key passp&amp;hrase:</source>
        <translation>私钥口令(&amp;H)：</translation>
    </message>
    <message>
        <source>Server &amp;name (SNI):</source>
        <translation>服务器名称 (SNI)(&amp;N)：</translation>
    </message>
    <message>
        <source>SSH tunnel through a &amp;bastion</source>
        <translation>通过跳板机建立 SSH 隧道(&amp;B)</translation>
    </message>
    <message>
        <source>Reach the server through the system's ssh (its config, agent and known hosts); the server above is named as the bastion sees it</source>
        <translation>通过系统的 ssh（使用其配置、agent 和 known_hosts）连接服务器；上面的服务器地址按跳板机看到的填写</translation>
    </message>
    <message>
        <source>ssh's own (agent, ~/.ssh/config)</source>
        <translation>ssh 自己的（agent、~/.ssh/config）</translation>
    </message>
    <message>
        <source>ssh's own (~/.ssh/known_hosts)</source>
        <translation>ssh 自己的（~/.ssh/known_hosts）</translation>
    </message>
    <message>
        <source>The bastion's host key is always checked: an unknown or changed key is refused</source>
        <translation>始终校验跳板机的主机密钥：未知或已变的密钥会被拒绝</translation>
    </message>
    <message>
        <source>B&amp;astion:</source>
        <translation>跳板机(&amp;A)：</translation>
    </message>
    <message>
        <source>&amp;Identity file:</source>
        <translation>身份文件(&amp;I)：</translation>
    </message>
    <message>
        <source>Identity pa&amp;ssphrase:</source>
        <translation>身份口令(&amp;S)：</translation>
    </message>
    <message>
        <source>Known &amp;hosts file:</source>
        <translation>known_hosts 文件(&amp;H)：</translation>
    </message>
    <message>
        <source>Back to %1</source>
        <translation>返回 %1</translation>
    </message>
    <message>
        <source>No sandbox runs: start lockscope without --url or --nodes</source>
        <translation>没有运行中的沙箱：不带 --url 或 --nodes 启动 lockscope</translation>
    </message>
    <message>
        <source>New connection</source>
        <translation>新建连接</translation>
    </message>
    <message>
        <source>The password from the URL is now in the password field: profiles never store it.</source>
        <translation>URL 中的密码已移到密码框：配置从不保存密码。</translation>
    </message>
    <message>
        <source>No system keychain available (%1): the password is not saved. Type it each time you connect.</source>
        <translation>没有可用的系统密钥环（%1）：密码不会保存。每次连接时请重新输入。</translation>
    </message>
    <message>
        <source>Connecting to %1…</source>
        <translation>正在连接 %1…</translation>
    </message>
    <message>
        <source>Testing %1…</source>
        <translation>正在测试 %1…</translation>
    </message>
    <message>
        <source>Type a name under “Save as” to save this connection.</source>
        <translation>在“另存为”中填写名称即可保存此连接。</translation>
    </message>
    <message>
        <source>Profile “%1” saved (without the password).</source>
        <translation>配置“%1”已保存（不含密码）。</translation>
    </message>
    <message>
        <source>Profile “%1” saved; the password goes to the system keychain.</source>
        <translation>配置“%1”已保存；密码存入系统密钥环。</translation>
    </message>
    <message>
        <source>Profile “%1” deleted.</source>
        <translation>配置“%1”已删除。</translation>
    </message>
    <message>
        <source>Red</source>
        <translation>红色</translation>
    </message>
    <message>
        <source>Orange</source>
        <translation>橙色</translation>
    </message>
    <message>
        <source>Yellow</source>
        <translation>黄色</translation>
    </message>
    <message>
        <source>Green</source>
        <translation>绿色</translation>
    </message>
    <message>
        <source>Blue</source>
        <translation>蓝色</translation>
    </message>
    <message>
        <source>Purple</source>
        <translation>紫色</translation>
    </message>
    <message>
        <source>Open read-only (write actions off until unlocked)</source>
        <translation>以只读方式打开（解锁前禁用写操作）</translation>
    </message>
    <message>
        <source>Production server (opens read-only; lockscope-cli refuses writes without --allow-writes)</source>
        <translation>生产服务器（以只读方式打开；没有 --allow-writes 时 lockscope-cli 拒绝写入）</translation>
    </message>
    <message>
        <source>No colour</source>
        <translation>无颜色</translation>
    </message>
    <message>
        <source>Profile &amp;tag:</source>
        <translation>配置标签(&amp;T)：</translation>
    </message>
</context>
<context>
    <name>lockscope::ui::CounterTableModel</name>
    <message>
        <source>%1 (stale)</source>
        <translation>%1（过时）</translation>
    </message>
    <message>
        <source>Stale: LockScope cannot read this key now (%1); this is its last known value.</source>
        <translation>过时：LockScope 目前无法读取这个键（%1）；显示的是最后已知的值。</translation>
    </message>
    <message>
        <source>Key</source>
        <translation>键</translation>
    </message>
    <message>
        <source>Format</source>
        <translation>格式</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>值</translation>
    </message>
    <message>
        <source>Rate/s</source>
        <translation>速率/秒</translation>
    </message>
    <message>
        <source>Trend</source>
        <translation>趋势</translation>
    </message>
</context>
<context>
    <name>lockscope::ui::CountersPanel</name>
    <message>
        <source>Filter counters (Ctrl+F)</source>
        <translation>筛选计数器（Ctrl+F）</translation>
    </message>
</context>
<context>
    <name>lockscope::ui::DemoCharts</name>
    <message>
        <source>Progress</source>
        <translation>进度</translation>
    </message>
    <message>
        <source>% of its operations done</source>
        <translation>已完成操作的百分比</translation>
    </message>
    <message>
        <source>Throughput</source>
        <translation>吞吐量</translation>
    </message>
    <message>
        <source>operations per second</source>
        <translation>每秒操作数</translation>
    </message>
    <message>
        <source>Violations so far</source>
        <translation>迄今的互斥违例</translation>
    </message>
    <message>
        <source>overlapping holds seen</source>
        <translation>观察到的重叠持有次数</translation>
    </message>
    <message>
        <source>operations per second (log scale)</source>
        <translation>每秒操作数（对数刻度）</translation>
    </message>
</context>
<context>
    <name>lockscope::ui::DemoLabPanel</name>
    <message>
        <source>Run</source>
        <translation>运行</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <source>Stop the demo: workers stop after their current operation, paused ones are resumed first, and everything the demo started is stopped</source>
        <translation>停止演示：工作者完成当前操作后停止，被暂停的先恢复，演示启动的一切都会停止</translation>
    </message>
    <message>
        <source>Clear results</source>
        <translation>清除结果</translation>
    </message>
    <message>
        <source>Empty the verdict table (lock runs are kept side by side until then)</source>
        <translation>清空结论表（在此之前，锁演示的结果会并排保留）</translation>
    </message>
    <message>
        <source>Choose a demo and press Run.</source>
        <translation>选择一个演示，然后点击“运行”。</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>What happened</source>
        <translation>发生了什么</translation>
    </message>
    <message>
        <source>The faults the demo injected and what followed, since its workers started</source>
        <translation>演示注入的故障及其后果，从工作者启动时算起</translation>
    </message>
    <message>
        <source>Why each strategy behaved as it did appears here after a run.</source>
        <translation>运行结束后，这里会解释每个策略为何如此表现。</translation>
    </message>
    <message>
        <source>stopping: waiting for the workers to finish their current operation…</source>
        <translation>正在停止：等待工作者完成当前操作…</translation>
    </message>
    <message>
        <source>A demo is running: stop it, or wait for it to finish</source>
        <translation>演示正在运行：请停止它，或等它结束</translation>
    </message>
    <message>
        <source>Run the demo</source>
        <translation>运行演示</translation>
    </message>
    <message>
        <source>not started: %1</source>
        <translation>未启动：%1</translation>
    </message>
    <message>
        <source>starting…</source>
        <translation>正在启动…</translation>
    </message>
    <message>
        <source>running %1 (%2/%3), %4%…</source>
        <translation>正在运行 %1（%2/%3），%4%…</translation>
    </message>
    <message>
        <source>running %1, %2%…</source>
        <translation>正在运行 %1，%2%…</translation>
    </message>
    <message>
        <source>  violations so far: %1</source>
        <translation>  迄今的互斥违例：%1</translation>
    </message>
    <message>
        <source>Expected, and what happened: %1</source>
        <translation>预期与实际相符：%1</translation>
    </message>
    <message>
        <source>Expected: %1
What happened: %2</source>
        <translation>预期：%1
实际：%2</translation>
    </message>
    <message>
        <source>Expected, and what happened:</source>
        <translation>预期与实际相符：</translation>
    </message>
    <message>
        <source>Expected:</source>
        <translation>预期：</translation>
    </message>
    <message>
        <source>What happened:</source>
        <translation>实际发生：</translation>
    </message>
    <message>
        <source>failed: %1</source>
        <translation>失败：%1</translation>
    </message>
    <message numerus="yes">
        <source>; %n process(es) it started still running (pid %1)</source>
        <translation>
            <numerusform>；它启动的 %n 个进程仍在运行（pid %1）</numerusform>
        </translation>
    </message>
    <message>
        <source>failed: %1%2</source>
        <translation>失败：%1%2</translation>
    </message>
    <message>
        <source>stopped: nothing left running</source>
        <translation>已停止：没有残留的进程</translation>
    </message>
    <message>
        <source>stopped%1</source>
        <translation>已停止%1</translation>
    </message>
    <message>
        <source>finished in %1 s%2</source>
        <translation>用时 %1 秒完成%2</translation>
    </message>
    <message>
        <source>+%1 s</source>
        <translation>+%1 秒</translation>
    </message>
    <message>
        <source>&lt;p&gt;&lt;b&gt;%1&lt;/b&gt; — %2: %3&lt;/p&gt;</source>
        <extracomment>A counter strategy's verdict and why: "naive — lost 12: GET and SET are two ...".</extracomment>
        <translation>&lt;p&gt;&lt;b&gt;%1&lt;/b&gt; — %2：%3&lt;/p&gt;</translation>
    </message>
</context>
<context>
    <name>lockscope::ui::DemoRunner</name>
    <message>
        <source>Workers must be between 1 and %1%2.</source>
        <translation>工作者数必须在 1 到 %1 之间%2。</translation>
    </message>
    <message>
        <source> (each is a process)</source>
        <translation>（每个都是一个进程）</translation>
    </message>
    <message>
        <source>Each worker needs at least one operation.</source>
        <translation>每个工作者至少需要一次操作。</translation>
    </message>
    <message>
        <source>The dashboard follows no server yet: choose “own sandbox” as the target.</source>
        <translation>仪表盘还没有跟踪任何服务器：请选择“自有沙箱”作为目标。</translation>
    </message>
    <message>
        <source>A sandbox node group has 3 to 16 nodes.</source>
        <translation>沙箱节点组包含 3 到 16 个节点。</translation>
    </message>
    <message>
        <source>Choose at least one counter strategy.</source>
        <translation>请至少选择一个计数器策略。</translation>
    </message>
    <message>
        <source>Unknown lock strategy “%1”.</source>
        <translation>未知的锁策略“%1”。</translation>
    </message>
    <message>
        <source>%1 needs at least %2 workers: someone must be there to take the lock.</source>
        <translation>%1 至少需要 %2 个工作者：得有人在场去抢锁。</translation>
    </message>
    <message>
        <source>%1 is about redlock's independent nodes: choose the redlock strategy.</source>
        <translation>%1 针对的是 redlock 的独立节点：请选择 redlock 策略。</translation>
    </message>
    <message>
        <source>%1 is about one master and its replica: choose a single-server strategy (set-nx-px shows it best).</source>
        <translation>%1 针对的是一个主节点及其副本：请选择单服务器策略（set-nx-px 最能说明问题）。</translation>
    </message>
    <message>
        <source>Waiting for replicas applies to failover-before-replication only: only there is there a replica to wait for.</source>
        <translation>“等待副本”只适用于 failover-before-replication：只有那里才有副本可等。</translation>
    </message>
    <message>
        <source>Waiting for replicas is implemented by set-nx-px (WAIT after its SET).</source>
        <translation>“等待副本”由 set-nx-px 实现（在 SET 之后执行 WAIT）。</translation>
    </message>
    <message>
        <source>%1 fails over a master + replica + Sentinels the demo starts itself: choose “own sandbox” as the target.</source>
        <translation>%1 会对演示自己启动的主节点 + 副本 + 哨兵做故障转移：请选择“自有沙箱”作为目标。</translation>
    </message>
    <message>
        <source>%1 stops, pauses and restarts servers, so it needs servers the demo owns: choose “own sandbox” as the target.</source>
        <translation>%1 会停止、暂停并重启服务器，因此需要演示自有的服务器：请选择“自有沙箱”作为目标。</translation>
    </message>
    <message>
        <source>Nodes down must be between 1 and %1 (node 0 holds the demo's resource and stays up); 0 picks a minority.</source>
        <translation>宕机节点数必须在 1 到 %1 之间（节点 0 存放演示的资源，始终在线）；0 表示选取少数派。</translation>
    </message>
    <message>
        <source>redlock takes its lock on independent nodes, but the dashboard follows %1: choose “own sandbox”, or connect to a Redlock node group of 3 or more.</source>
        <translation>redlock 在独立节点上加锁，但仪表盘正在跟踪 %1：请选择“自有沙箱”，或连接到 3 个及以上节点的 Redlock 节点组。</translation>
    </message>
    <message>
        <source>one server</source>
        <translation>一个服务器</translation>
    </message>
    <message>
        <source>%1 servers</source>
        <translation>%1 个服务器</translation>
    </message>
    <message>
        <source>A demo is already running: stop it first.</source>
        <translation>已有演示在运行：请先停止它。</translation>
    </message>
    <message>
        <source>%1 is about the read-write lock: choose the read-write strategy.</source>
        <translation>%1 针对读写锁：请选择 read-write 策略。</translation>
    </message>
</context>
<context>
    <name>lockscope::ui::DemoSetupForm</name>
    <message>
        <source>Counter demo</source>
        <translation>计数器演示</translation>
    </message>
    <message>
        <source>Workers increment one shared counter; which recipes lose updates?</source>
        <translation>多个工作者对同一个共享计数器做自增；哪些方案会丢失更新？</translation>
    </message>
    <message>
        <source>Lock demo</source>
        <translation>锁演示</translation>
    </message>
    <message>
        <source>Worker processes take one lock around a non-atomic update, optionally with a fault; does the lock keep them apart?</source>
        <translation>多个工作进程用同一把锁保护一次非原子的更新，可选注入故障；锁能让它们互斥吗？</translation>
    </message>
    <message>
        <source>Counter demo: threads, one connection each. Lock demo: processes.</source>
        <translation>计数器演示：线程，每个一个连接。锁演示：进程。</translation>
    </message>
    <message>
        <source>Per worker: increments (counter) or critical sections (lock). Expected = workers × ops.</source>
        <translation>每个工作者：自增次数（计数器）或进入临界区的次数（锁）。预期值 = 工作者数 × 操作数。</translation>
    </message>
    <message>
        <source>Own sandbox</source>
        <translation>自有沙箱</translation>
    </message>
    <message>
        <source>The demo starts throwaway redis-servers for the run (and Sentinels for the failover) and stops them when it ends</source>
        <translation>演示为本次运行启动临时的 redis-server（故障转移时还有哨兵），结束时将其停止</translation>
    </message>
    <message>
        <source>Server the dashboard follows</source>
        <translation>仪表盘跟踪的服务器</translation>
    </message>
    <message>
        <source>Workers</source>
        <translation>工作者数</translation>
    </message>
    <message>
        <source>Ops per worker</source>
        <translation>每个工作者的操作数</translation>
    </message>
    <message>
        <source>Run on</source>
        <translation>运行于</translation>
    </message>
    <message>
        <source>Tick the strategies to run; they run one after another, each with the same workers and ops</source>
        <translation>勾选要运行的策略；它们依次运行，工作者数和操作数相同</translation>
    </message>
    <message>
        <source>Counter strategies</source>
        <translation>计数器策略</translation>
    </message>
    <message>
        <source>%1
Hazard: %2</source>
        <translation>%1
风险：%2</translation>
    </message>
    <message>
        <source> ms</source>
        <translation> 毫秒</translation>
    </message>
    <message>
        <source>The lock's TTL; 0 takes the fault's default, chosen to show its effect quickly</source>
        <translation>锁的 TTL；0 表示使用该故障的默认值（为了尽快显出效果而选）</translation>
    </message>
    <message>
        <source>failover-before-replication with set-nx-px: WAIT for this many replicas after SET, and give the grant back when none acknowledged</source>
        <translation>failover-before-replication 配合 set-nx-px：SET 之后 WAIT 这么多个副本，没有副本确认时交还授予的锁</translation>
    </message>
    <message>
        <source>node-down: how many redlock nodes to stop; 0 stops a minority (N − quorum)</source>
        <translation>node-down：要停掉多少个 redlock 节点；0 表示停掉少数派（N − 法定数）</translation>
    </message>
    <message>
        <source>3 nodes</source>
        <translation>3 个节点</translation>
    </message>
    <message>
        <source>5 nodes</source>
        <translation>5 个节点</translation>
    </message>
    <message>
        <source>Own sandbox: independent redis-servers for redlock (5 shows node-down with 2 of 5 down — it keeps working — against 3 of 5 — it stops)</source>
        <translation>自有沙箱：为 redlock 准备的独立 redis-server（5 个时，node-down 可对比 5 停 2——仍能工作——与 5 停 3——停止工作）</translation>
    </message>
    <message>
        <source>Strategy</source>
        <translation>策略</translation>
    </message>
    <message>
        <source>Fault</source>
        <translation>故障</translation>
    </message>
    <message>
        <source>TTL</source>
        <translation>TTL</translation>
    </message>
    <message>
        <source>Wait for replicas</source>
        <translation>等待副本</translation>
    </message>
    <message>
        <source>Nodes down</source>
        <translation>宕机节点数</translation>
    </message>
    <message>
        <source>Redlock nodes</source>
        <translation>Redlock 节点</translation>
    </message>
    <message>
        <source>fault's default (%1 ms)</source>
        <translation>故障默认值（%1 毫秒）</translation>
    </message>
    <message>
        <source>Expected: %1</source>
        <translation>预期：%1</translation>
    </message>
    <message>
        <source>Tick at least one counter strategy to run.</source>
        <translation>请至少勾选一个要运行的计数器策略。</translation>
    </message>
    <message>
        <source>Choose a lock strategy.</source>
        <translation>请选择一个锁策略。</translation>
    </message>
    <message>
        <source>Server the dashboard follows (%1)</source>
        <translation>仪表盘跟踪的服务器（%1）</translation>
    </message>
    <message>
        <source>The demo writes only under lockscope:demo:&lt;run&gt;: and deletes its keys when it ends. Faults that stop servers are not offered here.</source>
        <translation>演示只在 lockscope:demo:&lt;run&gt;: 下写入，结束时删除它的键。这里不提供会停止服务器的故障。</translation>
    </message>
    <message>
        <source>The dashboard follows no server now</source>
        <translation>仪表盘当前没有跟踪任何服务器</translation>
    </message>
    <message>
        <source>set-nx-px runs first, for comparison.</source>
        <translation>先运行 set-nx-px，以作比较。</translation>
    </message>
</context>
<context>
    <name>lockscope::ui::DemoVerdictModel</name>
    <message>
        <source>over cap by %1</source>
        <translation>超出上限 %1</translation>
    </message>
    <message>
        <source>lost %1</source>
        <translation>丢失 %1</translation>
    </message>
    <message>
        <source>off by %1</source>
        <translation>相差 %1</translation>
    </message>
    <message>
        <source>exact</source>
        <translation>精确</translation>
    </message>
    <message>
        <source>no: stopped before the end</source>
        <translation>否：未到结束就停止了</translation>
    </message>
    <message>
        <source>yes</source>
        <translation>是</translation>
    </message>
    <message>
        <source>no</source>
        <translation>否</translation>
    </message>
    <message>
        <source>no: %1</source>
        <translation>否：%1</translation>
    </message>
    <message>
        <source>Strategy</source>
        <translation>策略</translation>
    </message>
    <message>
        <source>Increments Redis acknowledged (capped: the votes the cap allows)</source>
        <translation>Redis 确认过的自增次数（capped：上限允许的票数）</translation>
    </message>
    <message>
        <source>Expected</source>
        <translation>预期</translation>
    </message>
    <message>
        <source>What the counter holds at the end</source>
        <translation>结束时计数器的值</translation>
    </message>
    <message>
        <source>Actual</source>
        <translation>实际</translation>
    </message>
    <message>
        <source>Expected − actual, when positive</source>
        <translation>预期 − 实际（为正时）</translation>
    </message>
    <message>
        <source>Lost updates</source>
        <translation>丢失的更新</translation>
    </message>
    <message>
        <source>capped: votes past the cap</source>
        <translation>capped：超出上限的票数</translation>
    </message>
    <message>
        <source>Over cap</source>
        <translation>超出上限</translation>
    </message>
    <message>
        <source>watch: aborted EXECs; versioned: conflicts; locked: busy lock</source>
        <translation>watch：被中止的 EXEC；versioned：冲突；locked：锁被占用</translation>
    </message>
    <message>
        <source>Retries</source>
        <translation>重试次数</translation>
    </message>
    <message>
        <source>Ops/s</source>
        <translation>操作/秒</translation>
    </message>
    <message>
        <source>Median latency of one increment</source>
        <translation>单次自增的中位延迟</translation>
    </message>
    <message>
        <source>p50 µs</source>
        <translation>p50 µs</translation>
    </message>
    <message>
        <source>99th percentile latency of one increment</source>
        <translation>单次自增的第 99 百分位延迟</translation>
    </message>
    <message>
        <source>p99 µs</source>
        <translation>p99 µs</translation>
    </message>
    <message>
        <source>Verdict</source>
        <translation>结论</translation>
    </message>
    <message>
        <source>Fault</source>
        <translation>故障</translation>
    </message>
    <message>
        <source>Critical sections entered</source>
        <translation>进入临界区的次数</translation>
    </message>
    <message>
        <source>Acquisitions</source>
        <translation>获取次数</translation>
    </message>
    <message>
        <source>Entries while another holder was still inside</source>
        <translation>另一持有者仍在临界区内时的进入次数</translation>
    </message>
    <message>
        <source>Violations</source>
        <translation>互斥违例</translation>
    </message>
    <message>
        <source>Fenced writes with an outdated token, refused by the resource</source>
        <translation>带有过期令牌、被资源拒绝的防护写入</translation>
    </message>
    <message>
        <source>Stale writes rejected</source>
        <translation>被拒的过期写入</translation>
    </message>
    <message>
        <source>Accepted writes − the resource's final value</source>
        <translation>接受的写入次数 − 资源的最终值</translation>
    </message>
    <message>
        <source>Acquisitions per second</source>
        <translation>每秒获取次数</translation>
    </message>
    <message>
        <source>What the fault table says this fault does to this strategy</source>
        <translation>故障表所说的此故障对此策略的影响</translation>
    </message>
    <message>
        <source>Expected outcome</source>
        <translation>预期结果</translation>
    </message>
    <message>
        <source>As expected</source>
        <translation>符合预期</translation>
    </message>
</context>
<context>
    <name>lockscope::ui::EventLogModel</name>
    <message>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Node</source>
        <translation>节点</translation>
    </message>
    <message>
        <source>Key</source>
        <translation>键</translation>
    </message>
    <message>
        <source>Event</source>
        <translation>事件</translation>
    </message>
</context>
<context>
    <name>lockscope::ui::EventsPanel</name>
    <message>
        <source>Filter events by key or event</source>
        <translation>按键名或事件筛选事件</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>暂停</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>继续</translation>
    </message>
    <message>
        <source>%1 received, %2 not shown</source>
        <translation>已收到 %1 条，%2 条未显示</translation>
    </message>
</context>
<context>
    <name>lockscope::ui::ExtendDialog</name>
    <message>
        <source>Extend a lock</source>
        <translation>延长锁</translation>
    </message>
    <message>
        <source>Key</source>
        <translation>键</translation>
    </message>
    <message>
        <source>Holder</source>
        <translation>持有者</translation>
    </message>
    <message>
        <source>New &amp;TTL</source>
        <translation>新的 &amp;TTL</translation>
    </message>
    <message>
        <source>This dashboard holds this lease: its TTL is reset.</source>
        <translation>本仪表盘持有这个租约：将重置它的 TTL。</translation>
    </message>
    <message>
        <source>Someone else's lock: the TTL is reset only if this holder still holds it. The attempt is logged.</source>
        <translation>这是别人的锁：只有当该持有者仍持有它时才会重置 TTL。此次尝试会被记录。</translation>
    </message>
    <message>
        <source>Extend</source>
        <translation>延长</translation>
    </message>
    <message>
        <source>Resets the lease of the permit shown to the new TTL (the semaphore itself has no TTL), only if that permit is still taken. The attempt is logged.</source>
        <translation>把所示许可的租约重设为新的 TTL（信号量本身没有 TTL），仅当该许可仍被占用时。这次尝试会被记录。</translation>
    </message>
    <message>
        <source>Resets the lease of each permit shown to the new TTL (the semaphore itself has no TTL), only if exactly these %1 permits are still taken. The attempt is logged.</source>
        <translation>把所示每个许可的租约重设为新的 TTL（信号量本身没有 TTL），仅当仍然正好是这 %1 个许可被占用时。这次尝试会被记录。</translation>
    </message>
</context>
<context>
    <name>lockscope::ui::ForceReleaseDialog</name>
    <message>
        <source>Force-release a lock</source>
        <translation>强制释放锁</translation>
    </message>
    <message>
        <source>Key</source>
        <translation>键</translation>
    </message>
    <message>
        <source>Format</source>
        <translation>格式</translation>
    </message>
    <message>
        <source>Holder</source>
        <translation>持有者</translation>
    </message>
    <message>
        <source>%1 when you opened this</source>
        <translation>打开此窗口时为 %1</translation>
    </message>
    <message>
        <source>TTL</source>
        <translation>TTL</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>&lt;p&gt;Deleting a lock that is still in use lets a second client in while the first one works: only do it when the holder is dead or stuck.&lt;/p&gt;&lt;p&gt;The lock is deleted &lt;b&gt;only if it is still held by the holder shown above&lt;/b&gt;. If the holder changed, nothing is deleted and you are told. Every attempt is logged to %1.&lt;/p&gt;</source>
        <translation>&lt;p&gt;删除一把仍在使用的锁，会让第二个客户端在第一个还在工作时进入：只在持有者已死或卡住时才这样做。&lt;/p&gt;&lt;p&gt;&lt;b&gt;只有当锁仍由上面显示的持有者持有时&lt;/b&gt;才会删除。若持有者已变，则不删除并告诉你。每次尝试都会记录到 %1。&lt;/p&gt;</translation>
    </message>
    <message>
        <source>Force-release</source>
        <translation>强制释放</translation>
    </message>
    <message>
        <source>&amp;Release</source>
        <translation>释放(&amp;R)</translation>
    </message>
    <message>
        <source>none (a %1 has no TTL by design)</source>
        <translation>无（%1 按设计没有 TTL）</translation>
    </message>
    <message>
        <source>latch</source>
        <translation>闭锁</translation>
    </message>
    <message>
        <source>semaphore</source>
        <translation>信号量</translation>
    </message>
    <message>
        <source>Whose</source>
        <translation>属于谁</translation>
    </message>
    <message>
        <source>&amp;Give back</source>
        <translation>归还(&amp;G)</translation>
    </message>
    <message>
        <source>&lt;p&gt;Opens the latch: its key is deleted and every waiter wakes, &lt;b&gt;only if its count is still the one shown above&lt;/b&gt;. Count-downs still to come then find no latch.&lt;/p&gt;&lt;p&gt;Every attempt is logged to %1.&lt;/p&gt;</source>
        <translation>&lt;p&gt;打开闭锁：删除其键并唤醒所有等待者，&lt;b&gt;仅当其计数仍是上面显示的值时&lt;/b&gt;。之后到来的倒数将找不到闭锁。&lt;/p&gt;&lt;p&gt;每一次尝试都记录到 %1。&lt;/p&gt;</translation>
    </message>
    <message>
        <source>&lt;p&gt;Returns the permit(s) chosen above to the semaphore: they leave the lease set and the free count goes up by one for each permit, so a waiter may take one at once.</source>
        <translation>&lt;p&gt;把上面选定的许可还给信号量：它们离开租约集合，每个许可使空闲数加一，等待者可以立即取得。</translation>
    </message>
    <message>
        <source>&lt;p&gt;Returns permit %1 to the semaphore: it leaves the lease set and the free count goes up by one, so a waiter may take it at once.</source>
        <translation>&lt;p&gt;把许可 %1 还给信号量：它离开租约集合，空闲数加一，等待者可以立即取得。</translation>
    </message>
    <message>
        <source> The semaphore itself stays.&lt;/p&gt;&lt;p&gt;If its holder is alive it keeps working without a permit: only do it when that holder is dead or stuck (a dead holder's permit also comes back by itself when its lease runs out).&lt;/p&gt;&lt;p&gt;Nothing changes if the permit is no longer taken. Every attempt is logged to %1.&lt;/p&gt;</source>
        <translation>信号量本身保留。&lt;/p&gt;&lt;p&gt;如果它的持有者还活着，它会在没有许可的情况下继续工作：只在持有者已死或卡住时这样做（死去持有者的许可在租约到期后也会自动归还）。&lt;/p&gt;&lt;p&gt;如果该许可已不再被占用，则不做任何改动。每一次尝试都记录到 %1。&lt;/p&gt;</translation>
    </message>
    <message>
        <source> — uuid:thread id (it names no process)</source>
        <translation> — uuid:线程 形式的标识（不指明任何进程）</translation>
    </message>
    <message>
        <source> — random permit id (it names no process)</source>
        <translation> — 随机许可标识（不指明任何进程）</translation>
    </message>
    <message>
        <source>choose one…</source>
        <translation>请选择一个…</translation>
    </message>
    <message numerus="yes">
        <source>all %n holders shown (live ones too)</source>
        <translation>
            <numerusform>上面显示的全部 %n 个持有者（包括仍存活的）</numerusform>
        </translation>
    </message>
    <message>
        <source>&lt;p&gt;Lets the holder chosen above go, &lt;b&gt;only if it still holds the lock&lt;/b&gt;: one reader leaves and the other holders keep the lock; the lock is deleted only when all holders shown are chosen and they alone still hold it.&lt;/p&gt;&lt;p&gt;A holder that is alive keeps working without its hold: only do it when it is dead or stuck. If anything changed, nothing changes and you are told. Every attempt is logged to %1.&lt;/p&gt;</source>
        <translation>&lt;p&gt;让上面选中的持有者离开，&lt;b&gt;仅当它仍持有该锁时&lt;/b&gt;：一个读者离开，其他持有者继续持有该锁；只有选中上面显示的全部持有者且仅它们仍持有该锁时，锁才会被删除。&lt;/p&gt;&lt;p&gt;仍存活的持有者会在失去持有的情况下继续工作：只在它已死亡或卡住时这样做。若有任何变化，则什么都不改变并会告知你。每次尝试都记录到 %1。&lt;/p&gt;</translation>
    </message>
    <message>
        <source>&lt;p&gt;A fair lock hands itself on in order: if clients wait in its queue, the first in line takes it next, not whoever asks first.&lt;/p&gt;</source>
        <translation>&lt;p&gt;公平锁按顺序交接：若有客户端在其队列中等待，排在最前面的那个接着获得它，而不是最先请求的那个。&lt;/p&gt;</translation>
    </message>
    <message>
        <source> — LockScope client, host %1, pid %2</source>
        <translation> — LockScope 客户端，主机 %1，pid %2</translation>
    </message>
    <message>
        <source>, connected</source>
        <translation>，已连接</translation>
    </message>
    <message>
        <source>, not connected: its holder is gone</source>
        <translation>，未连接：其持有者已不在</translation>
    </message>
    <message>
        <source>Tokens</source>
        <translation>令牌</translation>
    </message>
    <message>
        <source>by count: the number of permits below</source>
        <translation>按数量：下面选定的许可数</translation>
    </message>
    <message>
        <source>the permit of %1 (host %2, pid %3: gone)</source>
        <translation>%1 的许可（主机 %2，pid %3：已不在）</translation>
    </message>
    <message>
        <source>Give back &amp;which</source>
        <translation>归还哪一个(&amp;W)</translation>
    </message>
    <message>
        <source>&lt;p&gt;Gives back the number of permits chosen above, &lt;b&gt;only if the number taken is still %1&lt;/b&gt;; otherwise nothing changes and you are told. The semaphore itself stays.&lt;/p&gt;</source>
        <translation>&lt;p&gt;归还上面选定数量的许可，&lt;b&gt;仅当已占用的许可数仍然是 %1 时&lt;/b&gt;；否则不做任何改动，并告诉你原因。信号量本身保留。&lt;/p&gt;</translation>
    </message>
    <message>
        <source>&lt;p&gt;LockScope's clients record a token for each permit they take (listed above, with whether its holder is still connected). A give-back by count takes the tokens of holders that are gone first, so live holders can still give theirs back. A permit taken by another client (Redisson) has no token: count only what you know leaked, since a live holder whose permit is given back keeps working beside one more client.&lt;/p&gt;</source>
        <translation>&lt;p&gt;LockScope 的客户端为它们占用的每个许可记录一个令牌（列在上面，并注明其持有者是否仍然连接）。按数量归还时，先取走已不在的持有者的令牌，因此仍存活的持有者之后仍能归还自己的许可。其他客户端（Redisson）占用的许可没有令牌：只按你确知已泄漏的数量归还——如果归还了仍存活的持有者的许可，它会继续工作，而旁边又多了一个客户端。&lt;/p&gt;</translation>
    </message>
    <message>
        <source>&lt;p&gt;No recorded token is known here (LockScope's clients record one for each permit they take; a Redisson client's permit has none): the count alone does not tell a leaked permit from a live holder's. Give back only as many as you know leaked, since a live holder whose permit is given back keeps working beside one more client.&lt;/p&gt;</source>
        <translation>&lt;p&gt;这里不知道任何已记录的令牌（LockScope 的客户端为占用的每个许可记录一个令牌；Redisson 客户端的许可没有）：仅凭数量无法区分泄漏的许可和仍在使用的许可。只归还你确知已泄漏的数量——如果归还了仍存活的持有者的许可，它会继续工作，而旁边又多了一个客户端。&lt;/p&gt;</translation>
    </message>
    <message>
        <source>&lt;p&gt;Or choose a gone holder's token: that one permit is given back, &lt;b&gt;only if the token is still recorded&lt;/b&gt;.&lt;/p&gt;</source>
        <translation>&lt;p&gt;也可以选择一个已不在的持有者的令牌：只归还那一个许可，&lt;b&gt;仅当该令牌仍有记录时&lt;/b&gt;。&lt;/p&gt;</translation>
    </message>
    <message>
        <source>&lt;p&gt;Every attempt is logged to %1.&lt;/p&gt;</source>
        <translation>&lt;p&gt;每一次尝试都记录到 %1。&lt;/p&gt;</translation>
    </message>
</context>
<context>
    <name>lockscope::ui::HolderTimeline</name>
    <message>
        <source>time</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>%1 pid %2 …%3</source>
        <translation>%1 pid %2 …%3</translation>
    </message>
    <message>
        <source>Nobody has held this lock since the dashboard started following it</source>
        <translation>自仪表盘开始跟踪以来，还没有人持有过这把锁</translation>
    </message>
    <message>
        <source>%1
from %2 to %3 (%4)</source>
        <translation>%1
从 %2 到 %3（%4）</translation>
    </message>
    <message>
        <source>now</source>
        <translation>现在</translation>
    </message>
    <message>
        <source>Select a lock to see who has held it</source>
        <translation>选择一个锁，查看谁持有过它</translation>
    </message>
    <message>
        <source>%1 readers: %2</source>
        <translation>%1 个读者：%2</translation>
    </message>
    <message>
        <source>%1 permits: %2</source>
        <translation>%1 个许可：%2</translation>
    </message>
    <message>
        <source>%1 holders: %2</source>
        <translation>%1 个持有者：%2</translation>
    </message>
</context>
<context>
    <name>lockscope::ui::LessonCharts</name>
    <message>
        <source>Acquisitions per worker (same stretch of time)</source>
        <translation>每个工作者的获取次数（同一段时间内）</translation>
    </message>
    <message>
        <source>worker</source>
        <translation>工作者</translation>
    </message>
    <message>
        <source>acquisitions</source>
        <translation>获取次数</translation>
    </message>
    <message>
        <source>%1 (least/most %2)</source>
        <translation>%1（最少/最多 %2）</translation>
    </message>
    <message>
        <source>Wait before each acquisition</source>
        <translation>每次获取前的等待</translation>
    </message>
    <message>
        <source>wait (ranges doubling from 100 µs)</source>
        <translation>等待时间（从 100 µs 起逐段翻倍）</translation>
    </message>
    <message>
        <source>% of acquisitions</source>
        <translation>占获取次数的 %</translation>
    </message>
    <message>
        <source>&lt; %1</source>
        <translation>&lt; %1</translation>
    </message>
    <message>
        <source>%1 (p99.9 %2)</source>
        <translation>%1（p99.9 %2）</translation>
    </message>
    <message>
        <source>%1% reads</source>
        <translation>%1% 读</translation>
    </message>
    <message>
        <source>%1% reads,
no writer preference</source>
        <translation>%1% 读，
无写者优先</translation>
    </message>
    <message>
        <source>Throughput as the read share grows</source>
        <translation>读比例增加时的吞吐量</translation>
    </message>
    <message>
        <source>operations per second</source>
        <translation>每秒操作数</translation>
    </message>
    <message>
        <source>Writers' longest wait</source>
        <translation>写者的最长等待</translation>
    </message>
    <message>
        <source>ms</source>
        <translation>毫秒</translation>
    </message>
    <message>
        <source>reads and writes</source>
        <translation>读与写</translation>
    </message>
    <message>
        <source>longest writer wait</source>
        <translation>写者最长等待</translation>
    </message>
    <message>
        <source>ms (log scale)</source>
        <translation>毫秒（对数刻度）</translation>
    </message>
</context>
<context>
    <name>lockscope::ui::LockDetailPane</name>
    <message>
        <source>Select a lock to see its holder, TTL and what its state means.</source>
        <translation>选择一把锁，查看它的持有者、TTL 以及状态的含义。</translation>
    </message>
    <message>
        <source>Node</source>
        <translation>节点</translation>
    </message>
    <message>
        <source>Field</source>
        <translation>字段</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>值</translation>
    </message>
    <message>
        <source>&lt;b&gt;Holders over time&lt;/b&gt;</source>
        <translation>&lt;b&gt;持有者时间线&lt;/b&gt;</translation>
    </message>
    <message>
        <source>The raw value is read when a lock is selected.</source>
        <translation>选中一把锁时才读取其原始值。</translation>
    </message>
    <message>
        <source>Format</source>
        <translation>格式</translation>
    </message>
    <message>
        <source>Recognised</source>
        <translation>识别方式</translation>
    </message>
    <message>
        <source>known layout</source>
        <translation>已知格式</translation>
    </message>
    <message>
        <source>by your rule</source>
        <translation>按你的规则</translation>
    </message>
    <message>
        <source>by evidence (a reasoned guess)</source>
        <translation>按特征（推测）</translation>
    </message>
    <message>
        <source>Why</source>
        <translation>依据</translation>
    </message>
    <message>
        <source>Holder</source>
        <translation>持有者</translation>
    </message>
    <message>
        <source>Holder process</source>
        <translation>持有者进程</translation>
    </message>
    <message>
        <source>%1, pid %2 (connection %3)</source>
        <translation>%1，pid %2（连接 %3）</translation>
    </message>
    <message>
        <source>host %1</source>
        <translation>主机 %1</translation>
    </message>
    <message>
        <source>pid %1</source>
        <translation>pid %1</translation>
    </message>
    <message>
        <source>since %1</source>
        <translation>始于 %1</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Details</source>
        <translation>详情</translation>
    </message>
    <message>
        <source>Behaviour</source>
        <translation>行为</translation>
    </message>
    <message>
        <source>Beat</source>
        <translation>心跳</translation>
    </message>
    <message>
        <source>every %1 ms (jitter %2 ms)</source>
        <translation>每 %1 毫秒（抖动 %2 毫秒）</translation>
    </message>
    <message>
        <source>Warning: p99 hold time (%1 ms) nears the TTL (%2 ms): holders risk outliving their lease.</source>
        <translation>警告：p99 持有时长（%1 毫秒）接近 TTL（%2 毫秒）：持有者有超出租约的风险。</translation>
    </message>
    <message numerus="yes">
        <source>Warning: %n lease(s) ran out while held: a holder died or the TTL is too short.</source>
        <translation>
            <numerusform>警告：有 %n 个租约在持有期间到期：持有者已死，或 TTL 太短。</numerusform>
        </translation>
    </message>
    <message>
        <source>Reading the value…</source>
        <translation>正在读取值…</translation>
    </message>
    <message>
        <source>could not be read: %1</source>
        <translation>无法读取：%1</translation>
    </message>
    <message>
        <source>the key is gone</source>
        <translation>该键已不存在</translation>
    </message>
    <message>
        <source>string, %1 bytes, %2</source>
        <translation>字符串，%1 字节，%2</translation>
    </message>
    <message>
        <source> — showing the first %1 bytes</source>
        <translation> — 显示前 %1 字节</translation>
    </message>
    <message>
        <source>(value)</source>
        <translation>（值）</translation>
    </message>
    <message>
        <source>hash, %1 fields, %2</source>
        <translation>哈希，%1 个字段，%2</translation>
    </message>
    <message>
        <source> — showing %1 fields, values up to %2 bytes</source>
        <translation> — 显示 %1 个字段，每个值至多 %2 字节</translation>
    </message>
    <message>
        <source>waiting #%1</source>
        <translation>等待中 #%1</translation>
    </message>
    <message numerus="yes">
        <source>, %n waiting</source>
        <translation>
            <numerusform>，%n 个在等待</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 of %2 elements, %3</source>
        <translation>%2 个元素中的 %1 个，%3</translation>
    </message>
    <message>
        <source>, times out in %1 s</source>
        <translation>，%1 秒后超时</translation>
    </message>
    <message>
        <source>, timed out %1 s ago</source>
        <translation>，已于 %1 秒前超时</translation>
    </message>
    <message>
        <source>deadline in %1 s</source>
        <translation>期限还有 %1 秒</translation>
    </message>
    <message>
        <source>deadline passed %1 s ago</source>
        <translation>期限已过 %1 秒</translation>
    </message>
    <message>
        <source>lease %1 s left</source>
        <translation>租约剩余 %1 秒</translation>
    </message>
    <message>
        <source>lease ran out %1 s ago</source>
        <translation>租约已于 %1 秒前到期</translation>
    </message>
    <message>
        <source>reader</source>
        <translation>读者</translation>
    </message>
    <message>
        <source>%1  x%2  %3</source>
        <translation>%1  x%2  %3</translation>
    </message>
    <message>
        <source>no lease</source>
        <translation>无租约</translation>
    </message>
    <message>
        <source>writer waiting #%1</source>
        <translation>等待的写者 #%1</translation>
    </message>
    <message>
        <source>, free</source>
        <translation>，空闲</translation>
    </message>
    <message>
        <source>, %1-locked</source>
        <translation>，%1 锁定</translation>
    </message>
    <message numerus="yes">
        <source>, %n writer(s) waiting</source>
        <translation>
            <numerusform>，%n 个写者在等待</numerusform>
        </translation>
    </message>
    <message>
        <source>permits</source>
        <translation>许可</translation>
    </message>
    <message>
        <source>%1 free%2%3</source>
        <translation>%1 个空闲%2%3</translation>
    </message>
    <message>
        <source> of %1</source>
        <translation>（共 %1 个）</translation>
    </message>
    <message>
        <source>, %1 taken</source>
        <translation>，%1 个已占用</translation>
    </message>
    <message>
        <source>permit</source>
        <translation>许可</translation>
    </message>
    <message numerus="yes">
        <source>, %n lease(s) ran out</source>
        <translation>
            <numerusform>，%n 个租约已到期</numerusform>
        </translation>
    </message>
    <message>
        <source>count</source>
        <translation>计数</translation>
    </message>
    <message>
        <source>%1 of %2 to go</source>
        <translation>还差 %1 次（共 %2 次）</translation>
    </message>
    <message>
        <source>%1 to go</source>
        <translation>还差 %1 次</translation>
    </message>
    <message>
        <source>, read-locked</source>
        <translation>，已加读锁</translation>
    </message>
    <message>
        <source>, write-locked</source>
        <translation>，已加写锁</translation>
    </message>
    <message>
        <source>%1 of %2 holders are LockScope clients: %3</source>
        <translation>%2 个持有者中有 %1 个是 LockScope 客户端：%3</translation>
    </message>
    <message>
        <source>%1 is no longer listed: it was freed, or is no longer a lock. Nothing is selected now, so no action applies — select a lock to act on it.</source>
        <translation>%1 已不在列表中：它已被释放，或不再是锁。现在未选中任何项，因此没有操作适用——请选择一个锁再进行操作。</translation>
    </message>
    <message>
        <source>Read at %1; read again when the lock changes.</source>
        <translation>读取于 %1；锁变化时会重新读取。</translation>
    </message>
    <message numerus="yes">
        <source>the key is missing; %n waiting in its fair-lock queue</source>
        <translation>
            <numerusform>该键不存在；其公平锁队列中有 %n 个在等待</numerusform>
        </translation>
    </message>
    <message>
        <source>host %1, pid %2</source>
        <translation>主机 %1，pid %2</translation>
    </message>
    <message>
        <source>%1: connection unknown</source>
        <translation>%1：连接情况未知</translation>
    </message>
    <message>
        <source>%1: connected</source>
        <translation>%1：已连接</translation>
    </message>
    <message>
        <source>%1: gone, its permit leaked</source>
        <translation>%1：已不在，它的许可已泄漏</translation>
    </message>
    <message>
        <source>Recorded tokens</source>
        <translation>已记录的令牌</translation>
    </message>
    <message numerus="yes">
        <source>%n waiting</source>
        <translation>
            <numerusform>%n 个在等待</numerusform>
        </translation>
    </message>
    <message>
        <source>token (unknown)</source>
        <translation>令牌（未知）</translation>
    </message>
    <message>
        <source>token (connected)</source>
        <translation>令牌（已连接）</translation>
    </message>
    <message>
        <source>token (gone)</source>
        <translation>令牌（已不在）</translation>
    </message>
    <message numerus="yes">
        <source>, %n token(s) recorded</source>
        <translation>
            <numerusform>，已记录 %n 个令牌</numerusform>
        </translation>
    </message>
    <message>
        <source>Holder host</source>
        <translation>持有者主机</translation>
    </message>
    <message>
        <source>Holder name</source>
        <translation>持有者名称</translation>
    </message>
    <message>
        <source>1 acquisition</source>
        <translation>获取 1 次</translation>
    </message>
    <message>
        <source>%1 acquisitions</source>
        <translation>获取 %1 次</translation>
    </message>
    <message>
        <source>1 takeover</source>
        <translation>1 次被接管</translation>
    </message>
    <message>
        <source>%1 takeovers</source>
        <translation>%1 次被接管</translation>
    </message>
    <message>
        <source>%1; hold p50 %2, p99 %3, max %4; %5 expired while held; %6</source>
        <translation>%1；持有时长 p50 %2，p99 %3，最长 %4；%5 次持有期间过期；%6</translation>
    </message>
    <message>
        <source>string, 1 byte, %1</source>
        <translation>字符串，1 字节，%1</translation>
    </message>
    <message>
        <source>hash, 1 field, %1</source>
        <translation>哈希，1 个字段，%1</translation>
    </message>
</context>
<context>
    <name>lockscope::ui::LockTableModel</name>
    <message>
        <source>(free)</source>
        <translation>（空闲）</translation>
    </message>
    <message>
        <source>no TTL</source>
        <translation>无 TTL</translation>
    </message>
    <message>
        <source>beat %1 / ? ms</source>
        <translation>心跳 %1 / ? 毫秒</translation>
    </message>
    <message>
        <source>beat %1 / %2 ms</source>
        <translation>心跳 %1 / %2 毫秒</translation>
    </message>
    <message>
        <source> · stale (%1)</source>
        <translation> · 过时（%1）</translation>
    </message>
    <message>
        <source>
Stale: LockScope cannot read this key now (%1); this is its last known state, not what the server holds.</source>
        <translation>
过时：LockScope 目前无法读取这个键（%1）；这是它最后已知的状态，而不是服务器当前存放的内容。</translation>
    </message>
    <message>
        <source>
LockScope %1 holder: host %2, pid %3</source>
        <translation>
LockScope %1 持有者：主机 %2，pid %3</translation>
    </message>
    <message>
        <source>%1 ms</source>
        <translation>%1 毫秒</translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation>%1 秒</translation>
    </message>
    <message>
        <source>%1 min</source>
        <translation>%1 分钟</translation>
    </message>
    <message>
        <source>%1 h</source>
        <translation>%1 小时</translation>
    </message>
    <message>
        <source>Key</source>
        <translation>键</translation>
    </message>
    <message>
        <source>Format</source>
        <translation>格式</translation>
    </message>
    <message>
        <source>Holder</source>
        <translation>持有者</translation>
    </message>
    <message>
        <source>TTL</source>
        <translation>TTL</translation>
    </message>
    <message>
        <source>Age</source>
        <translation>时长</translation>
    </message>
    <message>
        <source>Heartbeat</source>
        <translation>心跳</translation>
    </message>
    <message>
        <source>Nodes</source>
        <translation>节点数</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Median time a holder kept the lock</source>
        <translation>持有者持有该锁的时间中位数</translation>
    </message>
    <message>
        <source>99th percentile hold time; flagged where it nears the TTL</source>
        <translation>持有时间的第 99 百分位；接近 TTL 时会标出</translation>
    </message>
    <message>
        <source>Leases that ran out while held: the holder died or the TTL is too short</source>
        <translation>持有期间到期的租约：持有者已崩溃，或 TTL 太短</translation>
    </message>
    <message>
        <source>Another holder took it without the lock going free in between</source>
        <translation>另一个持有者在锁未被释放的情况下接管了它</translation>
    </message>
    <message>
        <source>Hold p50</source>
        <translation>持有 p50</translation>
    </message>
    <message>
        <source>Hold p99</source>
        <translation>持有 p99</translation>
    </message>
    <message>
        <source>Ran out</source>
        <translation>到期</translation>
    </message>
    <message>
        <source>Takeovers</source>
        <translation>接管</translation>
    </message>
    <message>
        <source>p99 hold time (%1 ms) nears the TTL (%2 ms): holders risk outliving their lease</source>
        <translation>p99 持有时间（%1 ms）接近 TTL（%2 ms）：持有者可能在租约到期后仍在执行</translation>
    </message>
    <message>
        <source>max %1 ms; lease %2 ms</source>
        <translation>最长 %1 ms；租约 %2 ms</translation>
    </message>
    <message>
        <source>max %1 ms; lease at least %2 ms (TTL read, not the grant)</source>
        <translation>最长 %1 ms；租约至少 %2 ms（读到的 TTL，而非授予的租约）</translation>
    </message>
    <message>
        <source>unknown</source>
        <translation>未知</translation>
    </message>
    <message>
        <source>≥ %1</source>
        <translation>≥ %1</translation>
    </message>
    <message>
        <source>unused</source>
        <translation>未使用</translation>
    </message>
    <message>
        <source>Unused: every permit is free. A semaphore has no TTL by design.</source>
        <translation>未使用：所有许可都空闲。信号量按设计没有 TTL。</translation>
    </message>
    <message numerus="yes">
        <source>%n permit(s) taken. A plain permit has no owner and no lease: it is held until its holder releases it, and a crashed holder's permit never comes back. The semaphore has no TTL by design.</source>
        <translation>
            <numerusform>已占用 %n 个许可。普通许可没有所有者也没有租约：它一直被占用，直到持有者释放；崩溃的持有者的许可永远不会归还。信号量按设计没有 TTL。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n permit(s) taken, each with its own lease: a holder that stops renewing loses its permit when its lease runs out. The semaphore has no TTL by design.</source>
        <translation>
            <numerusform>已占用 %n 个许可，每个都有自己的租约：停止续期的持有者会在租约到期时失去许可。信号量按设计没有 TTL。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Closed: %n count-down(s) to go. A latch has no TTL by design; it opens (its key is deleted) when the count reaches zero.</source>
        <translation>
            <numerusform>关闭：还需倒数 %n 次。闭锁按设计没有 TTL；计数归零时打开（删除其键）。</numerusform>
        </translation>
    </message>
    <message>
        <source>open</source>
        <translation>已打开</translation>
    </message>
    <message>
        <source>Open: its count reached zero (or it was force-released), so its key is deleted and everyone awaiting it went on.</source>
        <translation>已打开：它的计数已归零（或被强制释放），因此它的键已被删除，所有等待它的客户端都已继续。</translation>
    </message>
    <message>
        <source>(none taken)</source>
        <translation>（无人占用）</translation>
    </message>
    <message>
        <source>closed</source>
        <translation>已关闭</translation>
    </message>
    <message>
        <source>(open)</source>
        <translation>（已打开）</translation>
    </message>
    <message numerus="yes">
        <source>(free: %n waiting)</source>
        <translation>
            <numerusform>（空闲：%n 个在等待）</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Free, with %n waiter(s) queued: nobody holds it (its key is missing), and the first in the queue takes it next — between a release and that grant, or its holder's lease ran out. A waiter whose wait runs out drops out of the queue.</source>
        <translation>
            <numerusform>空闲，队列中有 %n 个等待者：无人持有（其键不存在），队列中的第一个会接着获得它——处于一次释放与该次授予之间，或其持有者的租约已到期。等待时间用尽的等待者会离开队列。</numerusform>
        </translation>
    </message>
    <message>
        <source>Acquisitions seen while LockScope followed the lock (`acquisitions` in lockscope-cli locks --json; its `holds` counts the holds that ended)</source>
        <translation>LockScope 跟踪该锁期间观察到的获取次数（即 lockscope-cli locks --json 中的 `acquisitions`；其中的 `holds` 统计已结束的持有）</translation>
    </message>
    <message>
        <source>Acquisitions</source>
        <translation>获取次数</translation>
    </message>
</context>
<context>
    <name>lockscope::ui::LocksPanel</name>
    <message>
        <source>Filter locks by key, format, holder or state (Ctrl+F)</source>
        <translation>按键名、格式、持有者或状态筛选锁（Ctrl+F）</translation>
    </message>
</context>
<context>
    <name>lockscope::ui::MainWindow</name>
    <message>
        <source>LockScope</source>
        <translation>LockScope</translation>
    </message>
    <message>
        <source>&amp;Locks</source>
        <translation>锁(&amp;L)</translation>
    </message>
    <message>
        <source>&amp;Counters</source>
        <translation>计数器(&amp;C)</translation>
    </message>
    <message>
        <source>&amp;Demo Lab</source>
        <translation>演示实验室(&amp;D)</translation>
    </message>
    <message>
        <source>&amp;Topology</source>
        <translation>拓扑(&amp;T)</translation>
    </message>
    <message>
        <source>Events</source>
        <translation>事件</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Connect…</source>
        <translation>连接(&amp;C)…</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <source>&amp;Refresh</source>
        <translation>刷新(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Find</source>
        <translation>查找(&amp;F)</translation>
    </message>
    <message>
        <source>Scan &amp;budget…</source>
        <translation>扫描预算(&amp;B)…</translation>
    </message>
    <message>
        <source>&amp;Settings</source>
        <translation>设置(&amp;S)</translation>
    </message>
    <message>
        <source>Lock &amp;rules…</source>
        <translation>锁规则(&amp;R)…</translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation>语言(&amp;L)</translation>
    </message>
    <message>
        <source>&amp;Actions</source>
        <translation>操作(&amp;A)</translation>
    </message>
    <message>
        <source>&amp;Read-only mode</source>
        <translation>只读模式(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <source>&amp;About LockScope</source>
        <translation>关于 LockScope(&amp;A)</translation>
    </message>
    <message>
        <source>About LockScope</source>
        <translation>关于 LockScope</translation>
    </message>
    <message>
        <source>&lt;b&gt;LockScope %1&lt;/b&gt;&lt;p&gt;See, test and teach Redis-based distributed locks and counters.&lt;/p&gt;</source>
        <translation>&lt;b&gt;LockScope %1&lt;/b&gt;&lt;p&gt;观察、测试和讲解基于 Redis 的分布式锁与计数器。&lt;/p&gt;</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>语言</translation>
    </message>
    <message>
        <source>The language changes when LockScope starts next.</source>
        <translation>语言将在 LockScope 下次启动时切换。</translation>
    </message>
    <message>
        <source>System</source>
        <translation>跟随系统</translation>
    </message>
    <message>
        <source>LockScope — %1%2</source>
        <translation>LockScope — %1%2</translation>
    </message>
    <message>
        <source> (read-only)</source>
        <translation>（只读）</translation>
    </message>
    <message>
        <source>Scan budget</source>
        <translation>扫描预算</translation>
    </message>
    <message>
        <source>Share of the watched server's time LockScope may use while polling, in percent
(0 = unlimited, for sandboxes and staging). Known locks and counters are read
first; new keys are found by a background sweep within the rest.</source>
        <translation>LockScope 轮询时可占用被监视服务器时间的比例（百分比）
（0 = 不限，用于沙箱和预发布环境）。先读取已知的锁和计数器；
新键由后台扫描在剩余的预算内发现。</translation>
    </message>
    <message>
        <source>Cannot follow the topology: %1</source>
        <translation>无法跟随拓扑：%1</translation>
    </message>
    <message>
        <source>topology %1</source>
        <translation>拓扑 %1</translation>
    </message>
    <message>
        <source>Rules file refused, the rules in force stay: %1</source>
        <translation>规则文件被拒绝，当前生效的规则保持不变：%1</translation>
    </message>
    <message>
        <source>Rules file changed: applied</source>
        <translation>规则文件已更改：已应用</translation>
    </message>
    <message>
        <source>&amp;Export</source>
        <translation>导出(&amp;E)</translation>
    </message>
    <message>
        <source>&amp;Locks as CSV…</source>
        <translation>锁导出为 CSV(&amp;L)…</translation>
    </message>
    <message>
        <source>Locks as &amp;JSON…</source>
        <translation>锁导出为 &amp;JSON…</translation>
    </message>
    <message>
        <source>&amp;Counters as CSV…</source>
        <translation>计数器导出为 CSV(&amp;C)…</translation>
    </message>
    <message>
        <source>Counters as J&amp;SON…</source>
        <translation>计数器导出为 J&amp;SON…</translation>
    </message>
    <message>
        <source>&amp;Keyboard Shortcuts</source>
        <translation>键盘快捷键(&amp;K)</translation>
    </message>
    <message>
        <source>production</source>
        <translation>生产</translation>
    </message>
    <message>
        <source>read-only</source>
        <translation>只读</translation>
    </message>
    <message>
        <source>A production profile opens read-only: Actions &gt; Read-only mode unlocks the write actions after you confirm.</source>
        <translation>生产配置以只读方式打开：确认后，“操作 &gt; 只读模式”可解锁写操作。</translation>
    </message>
    <message>
        <source>Export Locks</source>
        <translation>导出锁</translation>
    </message>
    <message>
        <source>Export Counters</source>
        <translation>导出计数器</translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation>CSV 文件 (*.csv)</translation>
    </message>
    <message>
        <source>JSON files (*.json)</source>
        <translation>JSON 文件 (*.json)</translation>
    </message>
    <message>
        <source>Could not write %1: %2</source>
        <translation>无法写入 %1：%2</translation>
    </message>
    <message>
        <source>Exported to %1</source>
        <translation>已导出到 %1</translation>
    </message>
    <message>
        <source>Keyboard Shortcuts</source>
        <translation>键盘快捷键</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>操作</translation>
    </message>
    <message>
        <source>Shortcut</source>
        <translation>快捷键</translation>
    </message>
    <message>
        <source>not connected</source>
        <translation>未连接</translation>
    </message>
    <message>
        <source>LockScope — not connected</source>
        <translation>LockScope — 未连接</translation>
    </message>
    <message>
        <source>The sandbox could not start</source>
        <translation>沙箱无法启动</translation>
    </message>
    <message>
        <source>Without --url or --nodes LockScope starts its own redis-server with demo traffic, and that failed:

%1

Install redis-server (Debian: apt install redis-server) and start LockScope again, or connect to a server you have with File &gt; Connect…</source>
        <translation>未指定 --url 或 --nodes 时，LockScope 会启动自带的 redis-server 并产生演示流量，但启动失败：

%1

请安装 redis-server（Debian：apt install redis-server）后重新启动 LockScope，或通过“文件 &gt; 连接…”连接到已有的服务器。</translation>
    </message>
    <message>
        <source>Allow writes to production?</source>
        <translation>允许写入生产环境？</translation>
    </message>
    <message>
        <source>Profile “%1” is marked production and opened read-only.

Allow the write actions (release, extend, force-release, set and reset counters, demos) on it?</source>
        <translation>配置“%1”被标记为生产环境，已以只读方式打开。

是否允许在其上执行写操作（释放、续期、强制释放、设置和重置计数器、演示）？</translation>
    </message>
    <message>
        <source>Allow writes</source>
        <translation>允许写入</translation>
    </message>
</context>
<context>
    <name>lockscope::ui::PasswordStore</name>
    <message>
        <source>no keychain service answered</source>
        <translation>没有钥匙串服务应答</translation>
    </message>
</context>
<context>
    <name>lockscope::ui::RateChart</name>
    <message>
        <source>How much time the chart shows while it follows now</source>
        <translation>跟随当前时间时图表显示的时间跨度</translation>
    </message>
    <message>
        <source>Follow live</source>
        <translation>实时跟随</translation>
    </message>
    <message>
        <source>Keep the newest point at the right edge. Dragging or zooming the time axis stops following; click to jump back to now.</source>
        <translation>让最新的点保持在右边缘。拖动或缩放时间轴会停止跟随；点击可回到当前时间。</translation>
    </message>
    <message>
        <source>Export Chart as &amp;PNG…</source>
        <translation>将图表导出为 &amp;PNG…</translation>
    </message>
    <message>
        <source>Save the chart as it is shown as a PNG image</source>
        <translation>把图表按当前显示的样子保存为 PNG 图片</translation>
    </message>
    <message>
        <source>Export Chart Data as &amp;CSV…</source>
        <translation>将图表数据导出为 &amp;CSV…</translation>
    </message>
    <message>
        <source>Save the points in the shown time range as CSV (time, key, rate)</source>
        <translation>把显示的时间范围内的数据点保存为 CSV（时间、键、速率）</translation>
    </message>
    <message>
        <source>PNG…</source>
        <translation>PNG…</translation>
    </message>
    <message>
        <source>CSV…</source>
        <translation>CSV…</translation>
    </message>
    <message>
        <source>time</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>rate (per second)</source>
        <translation>速率（每秒）</translation>
    </message>
    <message>
        <source>Select counters in the table to chart their rates
(Ctrl+click or Shift+click for several)</source>
        <translation>在表格中选择计数器以绘制其速率
（Ctrl+单击或 Shift+单击可多选）</translation>
    </message>
    <message>
        <source>Window</source>
        <translation>时间窗</translation>
    </message>
    <message>
        <source>%1 more selected: the chart shows the first %2</source>
        <translation>另外选了 %1 个：图表只显示前 %2 个</translation>
    </message>
    <message>
        <source>Could not write the image to %1. Check that the folder exists and is writable, or choose another place.</source>
        <translation>无法把图片写入 %1。请检查该文件夹是否存在且可写，或换一个位置。</translation>
    </message>
    <message>
        <source>Could not write the CSV to %1 (%2). Choose another place.</source>
        <translation>无法把 CSV 写入 %1（%2）。请换一个位置。</translation>
    </message>
    <message>
        <source>Export Chart as PNG</source>
        <translation>将图表导出为 PNG</translation>
    </message>
    <message>
        <source>PNG images (*.png)</source>
        <translation>PNG 图片 (*.png)</translation>
    </message>
    <message>
        <source>Export Chart</source>
        <translation>导出图表</translation>
    </message>
    <message>
        <source>Export Chart Data</source>
        <translation>导出图表数据</translation>
    </message>
    <message>
        <source>The chart shows no counter yet: select one or more in the table first.</source>
        <translation>图表中还没有计数器：请先在表格中选择一个或多个。</translation>
    </message>
    <message>
        <source>Export Chart Data as CSV</source>
        <translation>将图表数据导出为 CSV</translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation>CSV 文件 (*.csv)</translation>
    </message>
    <message>
        <source>1 min</source>
        <translation>1 分钟</translation>
    </message>
    <message>
        <source>5 min</source>
        <translation>5 分钟</translation>
    </message>
    <message>
        <source>15 min</source>
        <translation>15 分钟</translation>
    </message>
</context>
<context>
    <name>lockscope::ui::RulesDialog</name>
    <message>
        <source>Lock rules</source>
        <translation>锁规则</translation>
    </message>
    <message>
        <source>One rule a line: &lt;b&gt;lock GLOB&lt;/b&gt; makes matching keys locks whatever their value; &lt;b&gt;not-lock GLOB&lt;/b&gt; keeps them out (it wins). Globs as in Redis's MATCH: * ? [a-z]. Saved to &lt;code&gt;%1&lt;/code&gt;, read by the dashboard and lockscope-cli; applied at once.</source>
        <translation>每行一条规则：&lt;b&gt;lock GLOB&lt;/b&gt; 让匹配的键无论值是什么都算作锁；&lt;b&gt;not-lock GLOB&lt;/b&gt; 把它们排除在外（优先）。通配规则与 Redis 的 MATCH 相同：* ? [a-z]。保存在 &lt;code&gt;%1&lt;/code&gt;，仪表盘和 lockscope-cli 都会读取；立即生效。</translation>
    </message>
    <message numerus="yes">
        <source>%n lock rule(s), %1 not-lock rule(s).</source>
        <translation>
            <numerusform>%n 条 lock 规则，%1 条 not-lock 规则。</numerusform>
        </translation>
    </message>
    <message>
        <source>Not understood (fix or remove): %1</source>
        <translation>无法理解（请修正或删除）：%1</translation>
    </message>
    <message>
        <source>Could not save: %1</source>
        <translation>无法保存：%1</translation>
    </message>
</context>
<context>
    <name>lockscope::ui::SetCounterDialog</name>
    <message>
        <source>Set a counter</source>
        <translation>设置计数器</translation>
    </message>
    <message>
        <source>Counter</source>
        <translation>计数器</translation>
    </message>
    <message>
        <source>Now</source>
        <translation>当前</translation>
    </message>
    <message>
        <source>New &amp;value</source>
        <translation>新的值(&amp;V)</translation>
    </message>
    <message>
        <source>Set</source>
        <translation>设置</translation>
    </message>
    <message>
        <source>Clients incrementing it meanwhile continue from the new value. The change is logged.</source>
        <translation>在此期间自增它的客户端将从新值继续。此次更改会被记录。</translation>
    </message>
    <message>
        <source>Type a whole number between %1 and %2.</source>
        <translation>请输入 %1 到 %2 之间的整数。</translation>
    </message>
</context>
<context>
    <name>lockscope::ui::StatusPanel</name>
    <message>
        <source>Enable</source>
        <translation>启用</translation>
    </message>
    <message>
        <source>CONFIG SET notify-keyspace-events to follow changes live (keeps the flags already set)</source>
        <translation>用 CONFIG SET notify-keyspace-events 实时跟踪变化（保留已设置的标志）</translation>
    </message>
    <message>
        <source>Enabling…</source>
        <translation>正在启用…</translation>
    </message>
    <message>
        <source>connecting…</source>
        <translation>正在连接…</translation>
    </message>
    <message>
        <source>connecting to %1…</source>
        <translation>正在连接 %1…</translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation>%1 秒</translation>
    </message>
    <message>
        <source>%1 min %2 s</source>
        <translation>%1 分 %2 秒</translation>
    </message>
    <message>
        <source>%1 h %2 min</source>
        <translation>%1 小时 %2 分</translation>
    </message>
    <message>
        <source>TLS</source>
        <translation>TLS</translation>
    </message>
    <message>
        <source>, verified</source>
        <translation>，已验证</translation>
    </message>
    <message>
        <source>, NOT verified (--insecure)</source>
        <translation>，未验证（--insecure）</translation>
    </message>
    <message>
        <source>via SSH bastion %1</source>
        <translation>经由 SSH 跳板机 %1</translation>
    </message>
    <message>
        <source>, issued by %1</source>
        <translation>，签发者 %1</translation>
    </message>
    <message>
        <source>TLS, NOT verified (--insecure)</source>
        <translation>TLS，未验证（--insecure）</translation>
    </message>
    <message>
        <source>Redis %1 (%2)</source>
        <translation>Redis %1（%2）</translation>
    </message>
    <message>
        <source>reconnecting to %1…</source>
        <translation>正在重新连接 %1…</translation>
    </message>
    <message>
        <source>connected to the cluster's %1 masters</source>
        <translation>已连接到集群的 %1 个主节点</translation>
    </message>
    <message>
        <source>connected to master %1 (Sentinels %2)</source>
        <translation>已连接到主节点 %1（哨兵 %2）</translation>
    </message>
    <message>
        <source>connected to %1 nodes</source>
        <translation>已连接到 %1 个节点</translation>
    </message>
    <message>
        <source>connected to %1</source>
        <translation>已连接到 %1</translation>
    </message>
    <message>
        <source>%1 of %2 nodes connected</source>
        <translation>%2 个节点中已连接 %1 个</translation>
    </message>
    <message>
        <source>rtt %1 ms</source>
        <translation>往返 %1 毫秒</translation>
    </message>
    <message>
        <source>notifications on</source>
        <translation>通知已开启</translation>
    </message>
    <message>
        <source>notifications switched off — polling</source>
        <translation>通知已被关闭——改为轮询</translation>
    </message>
    <message>
        <source>notifications off — polling</source>
        <translation>通知未开启——轮询</translation>
    </message>
    <message>
        <source>polling</source>
        <translation>轮询</translation>
    </message>
    <message>
        <source>Changes arrive as keyspace notifications.</source>
        <translation>变化以键空间通知的形式到达。</translation>
    </message>
    <message>
        <source>Keyspace notifications were switched off on the server while LockScope was watching (notify-keyspace-events changed); it polls instead: known locks and counters twice a second, new keys by a background sweep.</source>
        <translation>在 LockScope 监视期间，服务器上的键空间通知被关闭了（notify-keyspace-events 已更改）；改为轮询：已知的锁和计数器每秒读取两次，新键由后台扫描发现。</translation>
    </message>
    <message>
        <source>Keyspace notifications are not available: known locks and counters are read again twice a second, new keys are found by a background sweep within the scan budget. Enable them to discover new keys live.</source>
        <translation>键空间通知不可用：已知的锁和计数器每秒重新读取两次，新键由后台扫描在扫描预算内发现。启用通知即可实时发现新键。</translation>
    </message>
    <message>
        <source>%1 locks, %2 counters%3%4</source>
        <translation>%1 把锁，%2 个计数器%3%4</translation>
    </message>
    <message>
        <source>, %1 stale (cannot be read now)</source>
        <translation>，%1 个过时（目前无法读取）</translation>
    </message>
    <message>
        <source> (scanning…)</source>
        <translation>（扫描中…）</translation>
    </message>
    <message>
        <source>%1 events/s</source>
        <translation>每秒 %1 个事件</translation>
    </message>
    <message>
        <source>a %1% budget</source>
        <translation>%1% 的预算</translation>
    </message>
    <message>
        <source>an unlimited budget</source>
        <translation>不限预算</translation>
    </message>
    <message>
        <source>sweeping %1 of %2 keys (%3%)</source>
        <translation>正在扫描 %2 个键中的 %1 个（%3%）</translation>
    </message>
    <message>
        <source>sweeping, %1 keys so far</source>
        <translation>正在扫描，已发现 %1 个键</translation>
    </message>
    <message>
        <source>last full sweep %1 ago, takes %2</source>
        <translation>上次完整扫描在 %1 前，耗时 %2</translation>
    </message>
    <message>
        <source>New keys arrive as keyspace notifications; a safety-net sweep runs rarely, at %1 of the server's time.</source>
        <translation>新键以键空间通知的形式到达；偶尔运行一次兜底扫描，占用服务器 %1 的时间。</translation>
    </message>
    <message>
        <source>Without keyspace notifications, known locks and counters are read again twice a second; new keys are found by a background sweep using %1 of the server's time. Enable keyspace notifications to discover new keys live.</source>
        <translation>没有键空间通知时，已知的锁和计数器每秒重新读取两次；新键由占用服务器 %1 时间的后台扫描发现。启用键空间通知即可实时发现新键。</translation>
    </message>
</context>
<context>
    <name>lockscope::ui::TopologyDiagram</name>
    <message>
        <source>unreachable</source>
        <translation>不可达</translation>
    </message>
    <message>
        <source>watches ?</source>
        <translation>监视 ?</translation>
    </message>
    <message>
        <source>watches %1</source>
        <translation>监视 %1</translation>
    </message>
    <message>
        <source>keys ?</source>
        <translation>键 ?</translation>
    </message>
    <message>
        <source>1 key</source>
        <translation>1 个键</translation>
    </message>
    <message>
        <source>%1 keys</source>
        <translation>%1 个键</translation>
    </message>
    <message>
        <source> · %1 lock-like</source>
        <translation> · %1 个疑似锁</translation>
    </message>
    <message>
        <source>slots %1</source>
        <translation>槽位 %1</translation>
    </message>
    <message>
        <source>No topology running: pick a kind and press Start.</source>
        <translation>没有运行中的拓扑：选择一种类型并点击“启动”。</translation>
    </message>
    <message>
        <source>replicates from</source>
        <translation>复制自</translation>
    </message>
    <message>
        <source>watches (names as master)</source>
        <translation>监视（以主节点名称）</translation>
    </message>
    <message>
        <source>paused</source>
        <translation>已暂停</translation>
    </message>
    <message>
        <source>stopped</source>
        <translation>已停止</translation>
    </message>
</context>
<context>
    <name>lockscope::ui::TopologyModel</name>
    <message>
        <source>?</source>
        <translation>?</translation>
    </message>
    <message>
        <source>nothing</source>
        <translation>无</translation>
    </message>
    <message>
        <source>no locks</source>
        <translation>没有锁</translation>
    </message>
    <message>
        <source> +%1 more</source>
        <translation> 另外 %1 个</translation>
    </message>
    <message>
        <source>Keys of %1 could not be listed: %2</source>
        <translation>无法列出 %1 的键：%2</translation>
    </message>
    <message>
        <source>%1 holds no keys.</source>
        <translation>%1 没有任何键。</translation>
    </message>
    <message>
        <source>%1 holds %2 keys:</source>
        <translation>%1 有 %2 个键：</translation>
    </message>
    <message>
        <source>%1 holds %2 keys; the first %3 listed:</source>
        <translation>%1 有 %2 个键；列出前 %3 个：</translation>
    </message>
    <message>
        <source>Lock-looking (a TTL or a lock-ish name):</source>
        <translation>像锁的（有 TTL 或名字像锁）：</translation>
    </message>
    <message>
        <source>Other keys:</source>
        <translation>其他键：</translation>
    </message>
    <message>
        <source>yes</source>
        <translation>是</translation>
    </message>
    <message>
        <source>no</source>
        <translation>否</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1（%2）</translation>
    </message>
    <message>
        <source>keys not listed: %1</source>
        <translation>未列出的键：%1</translation>
    </message>
    <message>
        <source>Watches %1 (%2)</source>
        <translation>监视 %1（%2）</translation>
    </message>
    <message>
        <source>pid %1</source>
        <translation>pid %1</translation>
    </message>
    <message>
        <source>#</source>
        <translation>#</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>地址</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>角色</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Reachable</source>
        <translation>可达</translation>
    </message>
    <message>
        <source>Replicates from</source>
        <translation>复制自</translation>
    </message>
    <message>
        <source>Replicas</source>
        <translation>副本</translation>
    </message>
    <message>
        <source>Slots</source>
        <translation>槽位</translation>
    </message>
    <message>
        <source>Keys</source>
        <translation>键数</translation>
    </message>
    <message>
        <source>Holds</source>
        <translation>持有的锁</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>connected</source>
        <translation>已连接</translation>
    </message>
    <message>
        <source>connecting</source>
        <translation>连接中</translation>
    </message>
    <message>
        <source>to connect</source>
        <translation>待连接</translation>
    </message>
    <message>
        <source>syncing</source>
        <translation>同步中</translation>
    </message>
    <message>
        <source>handshake</source>
        <translation>握手中</translation>
    </message>
</context>
<context>
    <name>lockscope::ui::TopologyPanel</name>
    <message>
        <source>Standalone</source>
        <translation>单机</translation>
    </message>
    <message>
        <source>Redlock (N independent masters)</source>
        <translation>Redlock（N 个独立主节点）</translation>
    </message>
    <message>
        <source>Sentinel (master + replica + 3 Sentinels)</source>
        <translation>哨兵（主节点 + 副本 + 3 个哨兵）</translation>
    </message>
    <message>
        <source>Cluster (3 masters + 3 replicas)</source>
        <translation>集群（3 主 + 3 从）</translation>
    </message>
    <message>
        <source>N = </source>
        <translation>N = </translation>
    </message>
    <message>
        <source>Independent masters in the Redlock group</source>
        <translation>Redlock 组中独立主节点的数量</translation>
    </message>
    <message>
        <source>Start</source>
        <translation>启动</translation>
    </message>
    <message>
        <source>Start the topology on free loopback ports (a running one is stopped first)</source>
        <translation>在空闲的回环端口上启动拓扑（会先停止正在运行的那个）</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <source>Stop every process of the topology</source>
        <translation>停止拓扑的所有进程</translation>
    </message>
    <message>
        <source>Follow in dashboard</source>
        <translation>在仪表盘中跟随</translation>
    </message>
    <message>
        <source>Point the dashboard's monitor at this topology</source>
        <translation>让仪表盘的监视器指向此拓扑</translation>
    </message>
    <message>
        <source>Topology:</source>
        <translation>拓扑：</translation>
    </message>
    <message>
        <source>Selected node:</source>
        <translation>选中的节点：</translation>
    </message>
    <message>
        <source> ms</source>
        <translation> 毫秒</translation>
    </message>
    <message>
        <source>down for </source>
        <translation>宕机时长 </translation>
    </message>
    <message>
        <source>How long the node stays down before it comes back empty: a delay past the longest lock TTL keeps it from granting a lock twice</source>
        <translation>节点在清空重启之前保持宕机的时长：超过最长锁 TTL 的延迟可防止它把同一把锁授予两次</translation>
    </message>
    <message>
        <source>No topology running.</source>
        <translation>没有运行中的拓扑。</translation>
    </message>
    <message>
        <source>starting %1…</source>
        <translation>正在启动 %1…</translation>
    </message>
    <message>
        <source>stopping…</source>
        <translation>正在停止…</translation>
    </message>
    <message>
        <source>failing over…</source>
        <translation>正在故障转移…</translation>
    </message>
    <message>
        <source>--nodes %1</source>
        <translation>--nodes %1</translation>
    </message>
    <message>
        <source>running: %1</source>
        <translation>运行中：%1</translation>
    </message>
    <message>
        <source>started %1: %2</source>
        <translation>已启动 %1：%2</translation>
    </message>
    <message>
        <source>stopped every process of the topology</source>
        <translation>已停止拓扑的所有进程</translation>
    </message>
    <message>
        <source>stopped</source>
        <translation>已停止</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>暂停</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>恢复</translation>
    </message>
    <message>
        <source>Kill</source>
        <translation>杀死</translation>
    </message>
    <message>
        <source>Restart empty</source>
        <translation>清空重启</translation>
    </message>
    <message>
        <source>Fail over</source>
        <translation>故障转移</translation>
    </message>
    <message>
        <source>Stop the node cleanly (SIGTERM)</source>
        <translation>正常停止节点（SIGTERM）</translation>
    </message>
    <message>
        <source>Start the stopped node again (same port; a Sentinel group's data node comes back as a replica of the current master)</source>
        <translation>重新启动已停止的节点（同一端口；哨兵组的数据节点会作为当前主节点的副本回来）</translation>
    </message>
    <message>
        <source>Freeze the node (SIGSTOP): it keeps its sockets open but answers nothing</source>
        <translation>冻结节点（SIGSTOP）：套接字保持打开，但不应答任何请求</translation>
    </message>
    <message>
        <source>Let the paused node run again (SIGCONT)</source>
        <translation>让暂停的节点继续运行（SIGCONT）</translation>
    </message>
    <message>
        <source>Crash the node (SIGKILL)</source>
        <translation>让节点崩溃（SIGKILL）</translation>
    </message>
    <message>
        <source>Kill the node and start it again without persistence, after the delay: it comes back empty</source>
        <translation>杀死节点，延迟之后无持久化地重新启动：它回来时是空的</translation>
    </message>
    <message>
        <source>Sentinel: SENTINEL FAILOVER; cluster: CLUSTER FAILOVER on the selected replica, or on a replica of the selected master</source>
        <translation>哨兵：SENTINEL FAILOVER；集群：在选中的副本上，或选中主节点的某个副本上执行 CLUSTER FAILOVER</translation>
    </message>
</context>
</TS>