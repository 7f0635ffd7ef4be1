#include "ui/locks/value_fetcher.h"

#include <optional>

#include "locks/owner.h"
#include "monitor/classifier.h"
#include "redis/connection.h"
#include "redis/error.h"

namespace lockscope::ui {

QString recordedPermitText(const locks::RecordedPermit& p) {
    const QString where =
        p.pid ? QObject::tr("host %1, pid %2, ").arg(QString::fromStdString(p.host)).arg(p.pid)
              : QString();
    if (!p.connected)
        return where + QObject::tr(
                           "connection unknown (CLIENT LIST refused, or the token names no "
                           "process)");
    return where + (*p.connected ? QObject::tr("connected")
                                 : QObject::tr("not connected: its holder is gone, its permit "
                                               "leaked"));
}

std::optional<ClientProcess> clientProcess(std::string_view name) {
    constexpr std::string_view kPrefix = "lockscope:";
    if (name.substr(0, kPrefix.size()) != kPrefix) return std::nullopt;
    name.remove_prefix(kPrefix.size());
    const size_t tag = name.rfind(':');
    if (tag == std::string_view::npos || tag == 0) return std::nullopt;
    const size_t pid = name.rfind(':', tag - 1);
    if (pid == std::string_view::npos || pid == 0 || pid + 1 == tag) return std::nullopt;
    long value = 0;
    for (char ch : name.substr(pid + 1, tag - pid - 1)) {
        if (ch < '0' || ch > '9' || value > 100'000'000) return std::nullopt;
        value = value * 10 + (ch - '0');
    }
    return ClientProcess{std::string(name.substr(0, pid)), value};
}

// Lives on the fetcher's thread; owns one connection per node, made when first needed.
class ValueFetcher::Worker : public QObject {
public:
    Worker(FetchLimits limits, std::shared_ptr<std::atomic<quint64>> latest)
        : limits_(limits), latest_(std::move(latest)) {}

    void setNodes(std::vector<redis::Endpoint> nodes) {
        nodes_ = std::move(nodes);
        conns_.clear();
        conns_.resize(nodes_.size());
    }

    FetchedPtr fetch(const std::string& key, quint64 generation) {
        auto out = std::make_shared<FetchedValue>();
        out->key = key;
        out->generation = generation;
        for (size_t i = 0; i < nodes_.size(); ++i) {
            // The user moved on: skip the remaining nodes.
            if (latest_->load() != generation) return nullptr;
            out->nodes.push_back(readNode(i, key));
        }
        return out;
    }

private:
    redis::Connection& conn(size_t i) {
        if (!conns_[i]) {
            redis::ConnectOptions o;
            o.connectTimeout = std::chrono::milliseconds(1500);
            o.commandTimeout = std::chrono::milliseconds(3000);
            o.clientName = "lockscope:dashboard:values";
            conns_[i].emplace(nodes_[i], o);
        }
        return *conns_[i];
    }

    NodeValue readNode(size_t i, const std::string& key) {
        NodeValue v;
        v.node = nodes_[i].display();
        try {
            auto& c = conn(i);
            auto head = c.pipeline().add({"TYPE", key}).add({"PTTL", key}).exec();
            v.type = std::string(head[0].str());
            v.pttlMs = head[1].integer();
            const auto preview = static_cast<long long>(limits_.previewBytes);
            if (v.type == "string") {
                // GETRANGE, never GET: a 500 MB value must not cross the wire to be previewed.
                auto r =
                    c.pipeline().add({"STRLEN", key}).add({"GETRANGE", key, 0, preview - 1}).exec();
                v.length = r[0].integer();
                v.value = std::string(r[1].str());
                v.truncated = v.length > static_cast<long long>(v.value.size());
            } else if (v.type == "hash") {
                v.length = c.command({"HLEN", key}).integer();
                std::string cursor = "0";
                do {
                    auto r = c.command({"HSCAN", key, cursor, "COUNT", limits_.scanCount});
                    cursor = std::string(r[0].str());
                    auto items = r[1];
                    for (size_t k = 0; k + 1 < items.size(); k += 2) {
                        if (v.fields.size() >= limits_.maxFields) {
                            v.truncated = true;
                            break;
                        }
                        std::string value(items[k + 1].str());
                        if (value.size() > limits_.previewBytes) {
                            value.resize(limits_.previewBytes);
                            v.truncated = true;
                        }
                        v.fields.emplace_back(std::string(items[k].str()), std::move(value));
                    }
                } while (cursor != "0" && v.fields.size() < limits_.maxFields);
                if (cursor != "0") v.truncated = true;
                // A Redisson fair lock's waiters, in order, with their timeouts.
                v.queue = monitor::readFairQueue(c, key, limits_.maxFields);
            } else if (v.type == "none") {
                // A fair lock between a release and its first waiter's grant (or whose holder's
                // lease ran out while others wait): no key, waiters queued (issue 14).
                v.queue = monitor::readFairQueue(c, key, limits_.maxFields);
            } else if (v.type == "list") {
                v.length = c.command({"LLEN", key}).integer();
            } else if (v.type == "set") {
                v.length = c.command({"SCARD", key}).integer();
            } else if (v.type == "zset") {
                v.length = c.command({"ZCARD", key}).integer();
            }
            // A fair lock, read-write lock, semaphore or latch (an integer string): its queue
            // with deadlines, readers, permits, count.
            if (v.type == "hash" ||
                (v.type == "string" && !v.truncated && !v.value.empty() && v.value.size() <= 20)) {
                auto state = locks::readPrimitiveState(c, key);
                if (state.kind != locks::PrimitiveKind::None) v.primitive = std::move(state);
            }
            if (v.type == "hash" || v.primitive) readHolderClients(c, v);
            // A plain semaphore's permits name no holder, but LockScope records the token of
            // each one its clients take: which of them leaked (adv14e item 6).
            if (v.primitive && v.primitive->kind == locks::PrimitiveKind::Semaphore)
                v.recordedPermits = locks::recordedPermits(c, key);
        } catch (const redis::Error& e) {
            v.error = e.what();
        }
        return v;
    }

    // The LockScope clients behind "<uuid>:<thread>" fields and waiters (adv14d item 8: a
    // reader was labelled "it names no process" though its pid is in CLIENT LIST).
    static void readHolderClients(redis::Connection& c, NodeValue& v) {
        std::vector<std::string> tags;
        auto add = [&tags](std::string_view id) {
            if (id.size() >= 38 && id[36] == ':') tags.emplace_back(id.substr(0, 8));
        };
        for (const auto& [field, value] : v.fields) add(field);
        for (const auto& w : v.queue) add(w.id);
        // An expirable semaphore's LockScope permits: their tokens name the connection's tag
        // (adv14e item 9: the dropdown did not say whether the holder is connected).
        if (v.primitive)
            for (const auto& p : v.primitive->permits)
                if (const auto t = locks::parseTokenView(p.id)) tags.emplace_back(t->tag);
        if (tags.empty()) return;
        std::unordered_map<std::string, std::string> clients;
        try {
            const auto reply = c.raw({"CLIENT", "LIST"});
            if (reply.isError() || reply.isNil()) return;  // refused (ACL): left unexplained
            clients = monitor::lockscopeClientsFromClientList(reply.str());
        } catch (const redis::Error&) {
            return;  // the value read stands without it
        }
        v.holderClientsRead = true;
        // A tag looked for and not in the list maps to "": not connected (a tag of a holder that
        // came after this read is not in the map at all: nothing is said of it).
        for (const auto& tag : tags)
            if (auto it = clients.find(tag); it != clients.end())
                v.holderClients.insert(*it);
            else
                v.holderClients.emplace(tag, std::string());
    }

    FetchLimits limits_;
    std::shared_ptr<std::atomic<quint64>> latest_;
    std::vector<redis::Endpoint> nodes_;
    std::vector<std::optional<redis::Connection>> conns_;
};

ValueFetcher::ValueFetcher(FetchLimits limits, QObject* parent)
    : QObject(parent), limits_(limits), latest_(std::make_shared<std::atomic<quint64>>(0)) {
    mail_ = new Mailbox(this);
    worker_ = new Worker(limits_, latest_);
    workerMail_ = new Mailbox(worker_);
    thread_.start(worker_);
}

ValueFetcher::~ValueFetcher() {
    latest_->store(0);  // a fetch in progress stops after its current node
    thread_.stop();
}

void ValueFetcher::setNodes(std::vector<redis::Endpoint> nodes) {
    workerMail_->post([w = worker_, nodes = std::move(nodes)] { w->setNodes(nodes); });
}

quint64 ValueFetcher::fetch(const std::string& key) {
    const quint64 generation = latest_->fetch_add(1) + 1;
    // `this` outlives every fetch: the destructor joins the thread before the mailboxes go.
    workerMail_->post([w = worker_, self = this, latest = latest_, key, generation] {
        if (latest->load() != generation) return;  // superseded while queued
        FetchedPtr result = w->fetch(key, generation);
        if (!result) return;
        self->mail_->post([self, result] {
            if (self->latest_->load() == result->generation) emit self->fetched(result);
        });
    });
    return generation;
}

void ValueFetcher::cancel() { latest_->fetch_add(1); }

}  // namespace lockscope::ui
