#include "monitor/classifier.h"

#include <arpa/inet.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <limits>

#include "locks/owner.h"
#include "monitor/why_text.h"
#include "util/text.h"

namespace lockscope::monitor {
namespace {

bool startsWith(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }
bool isAsciiAlphaChar(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

bool isLowerHex(std::string_view s) {
    return std::all_of(s.begin(), s.end(),
                       [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

std::optional<long long> parseInteger(std::string_view s) {
    if (s.empty() || s.size() > 20) return std::nullopt;
    long long v = 0;
    auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || ptr != s.data() + s.size()) return std::nullopt;
    // Redis itself treats "+5" or "05" as not an integer encoding; so do we.
    if (s.size() > 1 && (s[0] == '0' || (s[0] == '-' && s[1] == '0'))) return std::nullopt;
    return v;
}

// "<uuid>:<digits>" or "<uuid>:<digits>:write" (Redisson field names).
bool isRedissonField(std::string_view f) {
    if (f.size() < 38 || f[36] != ':') return false;
    std::string_view uuid = f.substr(0, 36);
    for (size_t i = 0; i < 36; ++i) {
        char c = uuid[i];
        bool dash = i == 8 || i == 13 || i == 18 || i == 23;
        if (dash ? c != '-' : !std::isxdigit(static_cast<unsigned char>(c))) return false;
    }
    std::string_view rest = f.substr(37);
    if (auto colon = rest.find(':'); colon != std::string_view::npos) {
        if (rest.substr(colon) != ":write") return false;
        rest = rest.substr(0, colon);
    }
    return !rest.empty() && std::all_of(rest.begin(), rest.end(), [](char c) {
        return std::isdigit(static_cast<unsigned char>(c));
    });
}

bool isBase64Of18Bytes(std::string_view v) {
    return v.size() == 24 && std::all_of(v.begin(), v.end(), [](char c) {
               return std::isalnum(static_cast<unsigned char>(c)) || c == '+' || c == '/';
           });
}

// The value without the whitespace a shell adds around it (`hostname | redis-cli -x SET`
// stores "vm\n"): what its shape is judged on. The holder stays the stored bytes, what a
// compare-and-delete compares.
std::string_view trimSpace(std::string_view v) {
    const auto first = v.find_first_not_of(" \t\r\n");
    if (first == std::string_view::npos) return {};
    return v.substr(first, v.find_last_not_of(" \t\r\n") - first + 1);
}

// Letters, then a separator, in a value with at least two separators: a readable name built of
// parts ("billing-7f9c8d6b5-x2v4q", a Kubernetes pod; "scheduler-node-3"), or a URL — a name a
// person gave, not a generated token.
bool looksNamed(std::string_view v) {
    if (v.find("://") != std::string_view::npos) return true;
    size_t letters = 0;
    while (letters < v.size() && isAsciiAlphaChar(v[letters])) ++letters;
    if (letters < 3 || letters == v.size()) return false;
    if (v[letters] != '-' && v[letters] != '_' && v[letters] != '.') return false;
    return std::count_if(v.begin(), v.end(),
                         [](char c) { return c == '-' || c == '_' || c == '.'; }) >= 2;
}

// A value that looks like a generated token: no spaces, mixed letters and digits, varied.
bool looksRandom(std::string_view v) {
    if (v.size() < 16 || v.size() > 128 || looksNamed(v)) return false;
    bool digit = false, alpha = false;
    std::string seen;
    for (char c : v) {
        auto u = static_cast<unsigned char>(c);
        if (std::isdigit(u))
            digit = true;
        else if (std::isalpha(u))
            alpha = true;
        else if (!(c == '-' || c == '_' || c == ':' || c == '.' || c == '+' || c == '/' ||
                   c == '='))
            return false;
        if (seen.find(c) == std::string::npos) seen += c;
    }
    return digit && alpha && seen.size() >= 8;
}

char lowerAscii(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }
bool isAsciiAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool isAsciiDigit(char c) { return c >= '0' && c <= '9'; }
bool isAsciiUpper(char c) { return c >= 'A' && c <= 'Z'; }

bool oneOf(std::string_view w, std::initializer_list<std::string_view> list) {
    return std::find(list.begin(), list.end(), w) != list.end();
}

// One lower-cased ASCII word of a key's name.
// `lock_<word>` with one of these words names a setting or a measure of a lock feature
// (feature:lock_enabled, ui:lock_timeout, lock_wait_ms), not a lock: `<x>_lock`, `lock:<x>` are.
bool isLockAttributeWord(std::string_view w) {
    return oneOf(
        w, {"enabled", "disabled", "enable", "disable", "timeout", "timeouts", "reason", "reasons",
            "screen", "wait", "waits", "waiting", "ms", "ttl", "count", "counts", "retries",
            "retry", "time", "times", "at", "expiry", "expires", "duration", "interval", "period",
            "delay", "secs", "seconds", "sec", "millis", "status", "state", "config", "setting",
            "settings", "mode", "type", "level", "max", "min", "threshold", "attempts", "message",
            "msg", "policy", "strategy", "option", "options", "flag",
            // a lock-free queue, a LockManager, a LockService: code, not a lock
            "free", "less", "manager", "managers", "factory", "service", "provider", "registry",
            "handler", "impl", "util", "utils", "helper",
            // an attribute the lock's owner keeps (user:42:lock_pin, hotel:room:101:lock_code,
            // order:42:payment_lock_id): a PIN, a code or an id, not a lock
            "pin", "pins", "code", "codes", "id", "ids",
            // not a setting, but no lock either: leader_board (a ranking), guard_rails
            "board", "boards", "rail", "rails"});
}

// Of those, the words that name code (a lock-free queue, a LockManager), not a lock's setting:
// more words after them (lock_free_queue) keep them code. A setting word followed by more words
// is a lock's name instead: malkusch/lock names every lock `lock_<name>` (lock_status_sync).
bool isCodeWord(std::string_view w) {
    return oneOf(
        w, {"free", "less", "manager", "managers", "factory", "service", "provider", "registry",
            "handler", "impl", "util", "utils", "helper", "board", "boards", "rail", "rails"});
}

// Of the attribute words, those that name a value the owner keeps (a PIN, a code, an id): a
// token-like value there is that id, not a holder (order:42:payment_lock_id = "pl_9f2c...").
bool isIdAttributeWord(std::string_view w) {
    return oneOf(w, {"pin", "pins", "code", "codes", "id", "ids"});
}

// A segment before the lock word that makes the key a setting or a feature flag's
// (user:1:settings:lock, feature:lock, ff:use_redis_lock, strings:lock, cfg:lock, ab:lock_v2).
bool isSettingContextWord(std::string_view w) {
    return oneOf(w, {"config",      "configs",      "configuration", "conf",       "cfg",
                     "settings",    "setting",      "feature",       "features",   "ff",
                     "featureflag", "featureflags", "flags",         "toggle",     "toggles",
                     "strings",     "options",      "parameters",    "experiment", "experiments"});
}
// Setting words too short or too common to void every lock word after them: only right before
// the lock word (flag:lock, opts:lock, params:lock, env:lock, ab:lock_v2; env:prod:deploy:lock
// stays a lock).
bool isAdjacentSettingWord(std::string_view w) {
    return oneOf(w, {"flag", "opts", "opt", "params", "param", "ab", "env", "envs"});
}

// A segment before the lock word that makes it a thing's lock or a text about locks: a door, a
// car (door:front:lock = locked, vehicle:VIN123:door_lock), a DHCP lease
// (dhcp:lease:10.0.0.5 = a MAC address), a wiki page (wiki:page:mutex = a sentence).
bool isThingContextWord(std::string_view w) {
    return oneOf(w,
                 {"door",  "doors",   "car",      "cars",     "vehicle", "vehicles", "bike",
                  "bikes", "scooter", "scooters", "gate",     "gates",   "garage",   "garages",
                  "dhcp",  "wiki",    "wikis",    "glossary", "faq",     "faqs",     "dictionary"});
}

// A segment before a compound lock word that makes it a thing for sale or on a shelf
// (catalog:smart-lock:title, product:smart_lock:stock_status): a product called a lock.
bool isCatalogWord(std::string_view w) {
    return oneOf(w, {"catalog", "catalogue", "product", "products", "shop", "item", "items", "sku",
                     "inventory", "cart",
                     // a package called redis-lock (npm:pkg:redis-lock:version,
                     // github:repo:redis-lock:stars)
                     "npm", "pkg", "pkgs", "package", "packages", "github", "gitlab", "repo",
                     "repos", "repository", "pypi", "gem", "gems", "crate", "crates"});
}

// A last segment, after the lock word's, that describes a thing (cache:product:door-lock:price).
bool isDescriptionWord(std::string_view w) {
    return oneOf(w,
                 {"title",  "price",     "prices", "name",    "description", "desc",      "image",
                  "images", "thumbnail", "stock",  "rating",  "ratings",     "reviews",   "color",
                  "colour", "brand",     "slug",   "summary", "stars",       "downloads", "forks"});
}

// A last segment, after the lock word's, that is an attribute of a device (a smart lock's
// lock:device:42:battery, smart_lock:42:firmware): the key records the device.
bool isDeviceAttributeWord(std::string_view w) {
    return oneOf(w, {"battery", "battery_level", "batterylevel", "firmware", "firmware_version",
                     "model", "rssi", "signal", "wifi", "online", "connectivity", "last_seen",
                     "serial", "temperature", "door_state", "doorstate"});
}
// A status or state after the lock word is a device's when a device word is in the name
// (lock:device:42:status, smart_lock:42:state); lock:order:42:status stays a lock.
bool isDeviceStateWord(std::string_view w) { return oneOf(w, {"status", "state"}); }
bool isDeviceWord(std::string_view w) {
    return oneOf(w, {"device", "devices", "smart", "iot", "sensor", "sensors", "hub", "zigbee",
                     "zwave", "bluetooth", "ble", "homekit"});
}

// A last segment "<words>_<unit>" (lock:last_acquired_ms, lock:acquired_at) names a measure.
bool isMeasureWord(std::string_view w) {
    return oneOf(w, {"ms", "at", "time", "ts", "timestamp", "secs", "seconds", "sec", "millis"});
}

// "posts", "threads", "comments": a plural noun (4+ letters ending in one 's', not "ss", "us",
// "is"). After `lock_` it makes a verb phrase (lock posts), not a lock's name.
bool isPluralNoun(std::string_view w) {
    if (w.size() < 4 || w.back() != 's') return false;
    const char before = w[w.size() - 2];
    return before != 's' && before != 'u' && before != 'i' && !oneOf(w, {"locks", "always"});
}

// `lock_<word>` naming when a lock (an account's) ends: user:42:lock_until, lockUntil,
// member:42:lock_end hold the end of an account lockout, as locked_until and lock_expires_at do —
// a time kept about a lock, not a lock (issue 11 round 6 item 1).
bool isLockEndWord(std::string_view w) {
    return oneOf(w, {"until", "till", "end", "ends", "expire", "expiration", "deadline"});
}

// A last segment after the lock word that names when something happened (cron:lock:last_run,
// lock:created, lock:job:started, mutex:last_used): a time there is that event's, not an expiry.
bool isPastEventSegment(std::string_view lower) {
    if (oneOf(lower, {"created", "started", "updated", "modified", "finished", "completed",
                      "stopped", "since", "began", "createdat", "startedat", "updatedat"}))
        return true;
    // lastRun, lastUsed (camelCase, lower-cased here)
    if (lower.size() > 4 && lower.substr(0, 4) == "last" && isAsciiAlpha(lower[4])) return true;
    for (std::string_view head : {"last", "first", "prev", "previous"})
        if (lower.size() > head.size() + 1 && lower.substr(0, head.size()) == head &&
            (lower[head.size()] == '_' || lower[head.size()] == '-'))
            return true;
    return false;
}

// A segment after the lock word's made only of these words names a setting or a record of the
// lock feature: lock:max_wait, lock:global:enabled, lock:reason:user:42, lock:screen:user:42.
bool isSettingSegmentWord(std::string_view w) {
    // (timeout, ttl, retries: counting words already — an integer there is a counter.)
    return oneOf(w, {"enabled",   "disabled", "enable", "disable", "reason",  "reasons", "screen",
                     "threshold", "policy",   "max",    "min",     "wait",    "waits",   "interval",
                     "delay",     "ms",       "secs",   "sec",     "seconds", "millis"});
}

// A last segment after a lock word that counts locks: lock:acquisitions (a metric), and after a
// plural one, a gauge (locks:held = 3).
bool isLockMetricSegment(std::string_view lower, bool pluralLockWord) {
    if (oneOf(lower, {"acquisitions", "releases", "contentions", "renewals", "expirations",
                      "takeovers", "waits", "gauge", "gauges"}))
        return true;
    return pluralLockWord && oneOf(lower, {"held", "active", "open", "current", "inflight",
                                           "waiting", "pending", "taken", "acquired"});
}

// The English rules' word classes in Chinese (and Japanese) forms (issue 11 round 6 item 2).
// UI strings and translations: 翻译:按钮:锁 = 锁定, as i18n…buttons.lock = Lock.
bool isForeignUiWord(std::string_view run) {
    return oneOf(run, {"翻译", "翻譯", "按钮",   "按鈕",   "文案",   "标签",    "標籤",   "菜单",
                       "選單", "提示", "提示语", "图标",   "圖示",   "国际化",  "多语言", "本地化",
                       "界面", "文本", "翻訳",   "ボタン", "ラベル", "メニュー"});
}
// A product, as catalog / product before smart-lock: 商品:智能锁:标题.
bool isForeignCatalogWord(std::string_view run) {
    return oneOf(run, {"商品", "产品", "產品", "货品", "商城", "店铺", "购物车", "宝贝", "商品库",
                       "型号", "製品", "商品情報"});
}
// A last segment describing a thing, as title / price / name (商品:智能锁:标题).
bool isForeignDescriptionWord(std::string_view run) {
    return oneOf(run, {"标题", "標題", "名称",     "名稱",     "价格", "價格", "描述",
                       "图片", "圖片", "详情",     "詳情",     "品牌", "评分", "评价",
                       "销量", "颜色", "库存状态", "タイトル", "価格", "名前", "説明"});
}
// A segment after the lock word naming a setting of it: 分布式锁:超时时间 = 30000, as
// lock_timeout_ms.
bool isForeignSettingAfterWord(std::string_view run) {
    return oneOf(run, {"超时",     "超时时间", "超時",         "超時時間",     "时间", "時間",
                       "过期时间", "過期時間", "等待时间",     "最大等待时间", "时长", "有效期",
                       "间隔",     "阈值",     "配置",         "设置",         "設定", "设定",
                       "开关",     "開關",     "启用",         "禁用",         "原因", "重试",
                       "租期",     "续期时间", "タイムアウト", "有効期限"});
}
// A compound naming a physical lock (a door's, a car's, a combination or smart lock): 门锁,
// 车锁, 密码锁, 智能锁, as door:front:lock.
bool isForeignPhysicalLock(std::string_view run) {
    for (std::string_view lock :
         {std::string_view("锁"), std::string_view("鎖"), std::string_view("ロック")}) {
        if (run.size() <= lock.size() || run.substr(run.size() - lock.size()) != lock) continue;
        if (oneOf(run.substr(0, run.size() - lock.size()),
                  {"门",   "門",     "车",   "車",       "车门",   "車門",   "密码",   "密碼",
                   "指纹", "指紋",   "智能", "智能门",   "智能門", "电子",   "電子",   "挂",
                   "掛",   "自行车", "單車", "单车",     "电动车", "门禁",   "保险箱", "保險箱",
                   "柜",   "櫃",     "柜门", "箱",       "窗",     "窗户",   "蓝牙",   "藍牙",
                   "人脸", "防盗",   "防盜", "防盗门",   "抽屉",   "方向盘", "儿童",   "兒童",
                   "机械", "機械",   "ドア", "スマート", "自転車"}))
            return true;
    }
    return false;
}

void clueOfForeignClass(std::string_view run, NameClues& c) {
    if (c.uiWord.empty() && isForeignUiWord(run)) c.uiWord = run;
    if (c.lockWord.empty() && c.foreignCatalog.empty() && isForeignCatalogWord(run))
        c.foreignCatalog = run;
    if (!c.lockWord.empty() && c.settingAfter.empty() && isForeignSettingAfterWord(run))
        c.settingAfter = run;
    if (c.foreignThing.empty() && isForeignPhysicalLock(run)) c.foreignThing = run;
}

void clueOfWord(std::string_view original, std::string_view w, NameClues& c,
                bool attribute = false) {
    // "suo" (锁 in pinyin) as a word of its own: suo:order:42, redis_suo; not jiesuo (解锁,
    // unlock) or suoding (锁定, locked), which are other words.
    bool lock = oneOf(w, {"lock", "locks", "mutex", "mutexes", "lease", "leases", "leader", "guard",
                          "sperre", "verrou", "cerrojo", "bloqueo", "trava", "suo"});
    const bool count = oneOf(w, {"semaphore", "semaphores", "latch", "latches", "permits"});
    bool compound = false;
    // "mylock", "redislock", "rwlock": a short, known prefix glued to a lock word; not "unlock",
    // "block", "clock", "deadlock"...
    for (std::string_view suffix :
         {std::string_view("lock"), std::string_view("locks"), std::string_view("mutex")}) {
        if (w.size() > suffix.size() && w.substr(w.size() - suffix.size()) == suffix &&
            oneOf(w.substr(0, w.size() - suffix.size()),
                  {"my",          "py",        "node",   "d",     "r",     "rw",       "dist",
                   "distributed", "global",    "redis",  "app",   "job",   "task",     "cron",
                   "fair",        "spin",      "fenced", "red",   "multi", "read",     "write",
                   "shed",        "exclusive", "shared", "named", "sync",  "singleton"}))
            compound = true;
    }
    // fenbushisuo (分布式锁), huchisuo (互斥锁), duxiesuo (读写锁): pinyin glued to "suo".
    if (w.size() > 3 && w.substr(w.size() - 3) == "suo" &&
        oneOf(w.substr(0, w.size() - 3),
              {"fenbushi", "fenbushishi", "huchi", "duxie", "paita", "gongxiang", "dingdan",
               "kucun", "quanju", "chongru", "gongping", "redis"}))
        compound = true;
    if (attribute && (lock || compound)) {
        if (c.lockAttribute.empty()) c.lockAttribute = original;
        lock = compound = false;
    }
    if ((lock || count || compound) && c.lockWord.empty()) c.lockWord = original;
    if (count) c.countWord = true;
    if (oneOf(w, {"count",    "counts", "counter", "counters", "total",   "totals",     "stat",
                  "stats",    "metric", "metrics", "num",      "hits",    "attempts",   "retries",
                  "failures", "errors", "seq",     "sequence", "version", "rate",       "limit",
                  "quota",    "views",  "votes",   "epoch",    "term",    "generation", "timeout",
                  "ttl",      "size",   "len",     "length"})) {
        c.counterWord = true;
        if (c.counterText.empty()) c.counterText = original;
    }
}

// A run of non-ASCII bytes, taken as one word like an ASCII one (docs/client-formats.md#evidence):
// the seeds' readers name keys in Chinese and Japanese. A run is a lock word when it is one (锁,
// 互斥, 租约, ロック...) or names a kind of lock ending in 锁 / ロック (订单锁, 分散ロック); so
// 登录锁定 (login lockout), 锁定 (locked out), 解锁 (unlock) and ロックアウト (lockout) are not
// locks.
void clueOfForeignWord(std::string_view run, NameClues& c) {
    auto endsWith = [&](std::string_view w) {
        return run.size() >= w.size() && run.substr(run.size() - w.size()) == w;
    };
    // Korean: 잠금 / 락 alone, or ending a compound (분산락, 재고락, 주문잠금, 분산잠금) — but
    // not the everyday words that end in 락 (연락 contact, 하락 a fall, 누락 an omission, 단락 a
    // paragraph...), nor a two-syllable one.
    constexpr size_t kHangul = 3;  // bytes of one Hangul syllable in UTF-8
    const bool koreanCompound =
        (endsWith("잠금") && run.size() > 2 * kHangul) ||
        (endsWith("락") && run.size() >= 3 * kHangul &&
         !oneOf(run.substr(run.size() - 2 * kHangul),
                {"연락", "하락", "쾌락", "추락", "타락", "부락", "급락", "폭락", "함락",
                 "몰락", "등락", "탈락", "누락", "단락", "촌락", "극락", "안락", "향락",
                 "전락", "오락", "일락", "반락", "낙락", "상락", "허락"}));
    const bool lock = oneOf(run, {"互斥", "互斥量", "租约", "ロック", "排他", "잠금", "락",
                                  "блокировка", "блокировки", "замок"}) ||
                      (endsWith("锁") && !endsWith("解锁") && !endsWith("开锁")) ||
                      // Traditional Chinese 鎖 (分佈式鎖, 互斥鎖, 讀寫鎖); not 解鎖 / 開鎖
                      (endsWith("鎖") && !endsWith("解鎖") && !endsWith("開鎖")) ||
                      (endsWith("ロック") && !endsWith("アンロック")) || koreanCompound;
    const bool count = oneOf(run, {"信号量", "セマフォ"});
    // 设置 / 設定 / 配置 (settings): a lock word after it names a setting (用户:42:设置:屏幕锁).
    if (c.lockWord.empty() && c.foreignSetting.empty() &&
        oneOf(run, {"设置", "設定", "配置", "设定", "偏好", "功能开关"}))
        c.foreignSetting = run;
    clueOfForeignClass(run, c);
    // 屏幕锁 / 锁屏 / 画面ロック: the screen lock, a device setting (as screen_lock).
    const bool screen = oneOf(run, {"屏幕锁", "锁屏", "画面ロック", "屏幕锁定", "画面ロック設定",
                                    "螢幕鎖", "屏幕鎖", "鎖屏", "화면잠금"});
    if (screen) {
        if (c.uiWord.empty()) {
            c.uiWord = run;
            c.uiDevice = true;
        }
        return;
    }
    if ((lock || count) && c.lockWord.empty()) c.lockWord = run;
    if (count) c.countWord = true;
    if (oneOf(run, {"计数", "次数", "统计", "计数器", "カウンタ", "カウンター"})) {
        c.counterWord = true;
        if (c.counterText.empty()) c.counterText = run;
    }
}

// Full-width separators (：・、．－＿ and the ideographic space) split a run into words as ASCII
// ones do.
void clueOfForeignRun(std::string_view run, NameClues& c) {
    static constexpr std::string_view kSeparators[] = {"：", "・", "、", "．", "－", "＿", "　"};
    size_t start = 0;
    for (size_t i = 0; i < run.size();) {
        size_t sep = 0;
        for (auto s : kSeparators)
            if (run.substr(i, s.size()) == s) sep = s.size();
        if (sep == 0) {
            ++i;
            continue;
        }
        if (i > start) clueOfForeignWord(run.substr(start, i - start), c);
        i += sep;
        start = i;
    }
    if (start < run.size()) clueOfForeignWord(run.substr(start), c);
}

// A generated token (random-looking, a UUID, 32 hex characters): what a lock client writes,
// never a setting's value.
bool looksRandom(std::string_view v);
bool isUuid(std::string_view v);
bool isHolderToken(std::string_view v) {
    return (v.size() == 32 && isLowerHex(v)) || looksRandom(v) || isUuid(v);
}

// A token a lock client generates: a UUID, a random-looking token, 32 hex characters (redlock);
// `file`: not a hex digest (32, 40 or 64 hex characters: a file's md5 / sha1 / sha256).
bool isGeneratedToken(std::string_view v, bool file) {
    const bool digest = (v.size() == 32 || v.size() == 40 || v.size() == 64) &&
                        std::all_of(v.begin(), v.end(), [](char c) {
                            return std::isxdigit(static_cast<unsigned char>(c)) != 0;
                        });
    if (file && digest) return false;
    return isHolderToken(v);
}

// "49.99", "0.75": digits, a point and exactly two digits — a price (or a ratio in hundredths).
// "1.5" stays a number that only says taken (issue 11 round 5).
bool isDecimalFraction(std::string_view v) {
    const auto dot = v.find('.');
    if (dot == std::string_view::npos || dot == 0 || dot + 3 != v.size()) return false;
    return std::all_of(v.begin(), v.begin() + static_cast<long>(dot), isAsciiDigit) &&
           std::all_of(v.begin() + static_cast<long>(dot) + 1, v.end(), isAsciiDigit);
}

// An HTML page or a long piece of markup, not a holder's name (a short "<p>busy</p>" may be one).
bool isMarkup(std::string_view v) {
    if (v.find('<') == std::string_view::npos || v.find('>') == std::string_view::npos)
        return false;
    std::string head;
    for (char ch : v.substr(0, 16)) head += lowerAscii(ch);
    return v.size() > 64 || head.rfind("<html", 0) == 0 || head.rfind("<!doctype", 0) == 0 ||
           head.rfind("<body", 0) == 0 || head.rfind("<?xml", 0) == 0;
}

// A value that says the lock is NOT held: a released flag (SET key false, SET key 0). Listed as a
// stuck lock it would send an operator after nothing.
std::optional<double> numberSpelling(std::string_view v);
bool isReleasedWord(std::string_view v) {
    v = trimSpace(v);  // "false " is still false
    // 0 in any spelling ("0.0", "-0", "0x0") is released like "0".
    if (const auto n = numberSpelling(v); n && *n == 0) return true;
    if (v.size() > 10) return false;
    char buf[10];
    for (size_t i = 0; i < v.size(); ++i) buf[i] = lowerAscii(v[i]);
    return oneOf(std::string_view(buf, v.size()),
                 {"",          "0",      "false",   "free",     "unlocked",   "released",
                  "no",        "off",    "none",    "null",     "nil",        "available",
                  "idle",      "open",   "unlock",  "done",     "not-locked", "not_locked",
                  "notlocked", "unheld", "expired", "undefined"});
}

bool isFlagWord(std::string_view v) {
    if (v.empty() || v.size() > 8) return false;
    char buf[8];
    for (size_t i = 0; i < v.size(); ++i) buf[i] = lowerAscii(v[i]);
    return oneOf(std::string_view(buf, v.size()), {"true", "locked", "lock", "yes", "on", "busy",
                                                   "held", "taken", "running", "acquired", "x"});
}

bool isUuid(std::string_view v) {
    if (v.size() != 36) return false;
    for (size_t i = 0; i < 36; ++i) {
        const bool dash = i == 8 || i == 13 || i == 18 || i == 23;
        if (dash ? v[i] != '-' : !std::isxdigit(static_cast<unsigned char>(v[i]))) return false;
    }
    return true;
}

// "web-01.example.com": dot-separated labels of letters, digits and '-', the last all letters.
bool isHostName(std::string_view v) {
    if (v.size() < 3 || v.size() > 253 || v.find('.') == std::string_view::npos) return false;
    size_t labelStart = 0;
    for (size_t i = 0; i <= v.size(); ++i) {
        if (i == v.size() || v[i] == '.') {
            if (i == labelStart) return false;
            labelStart = i + 1;
            continue;
        }
        if (!isAsciiAlpha(v[i]) && !isAsciiDigit(v[i]) && v[i] != '-') return false;
    }
    const std::string_view last = v.substr(v.rfind('.') + 1);
    return last.size() >= 2 && std::all_of(last.begin(), last.end(), isAsciiAlpha);
}

// A short name: a host, "pid@host", "host:pid", "worker-3" — no spaces, a letter somewhere.
bool isIdentity(std::string_view v) {
    if (v.empty() || v.size() > 128) return false;
    bool letter = false;
    for (char c : v) {
        if (isAsciiAlpha(c))
            letter = true;
        else if (!isAsciiDigit(c) &&
                 !oneOf(std::string_view(&c, 1), {"-", "_", ".", ":", "@", "/"}))
            return false;
    }
    return letter;
}

// "pid@host" (the JVM's RuntimeMXBean name) or "host:pid": the process part, when there is one.
bool hasProcessIdentity(std::string_view v) {
    const auto at = v.find('@');
    if (at != std::string_view::npos && at > 0)
        return std::all_of(v.begin(), v.begin() + static_cast<long>(at), isAsciiDigit);
    const auto colon = v.rfind(':');
    return colon != std::string_view::npos && colon + 1 < v.size() &&
           std::all_of(v.begin() + static_cast<long>(colon) + 1, v.end(), isAsciiDigit);
}

// A number in any of the spellings programs write: "1.5", "-0.25", "3e2", "+1", "0x10", "NaN",
// "inf" (integers in Redis's own spelling are read before). Not locale-dependent.
std::optional<double> numberSpelling(std::string_view v) {
    if (v.empty() || v.size() > 40) return std::nullopt;
    bool negative = false;
    if (v.front() == '+' || v.front() == '-') {
        negative = v.front() == '-';
        v.remove_prefix(1);
    }
    if (v.empty() || v.front() == '+' || v.front() == '-') return std::nullopt;
    double d = 0;
    if (v.size() > 2 && v[0] == '0' && (v[1] == 'x' || v[1] == 'X')) {
        const std::string_view hex = v.substr(2);
        if (!std::all_of(hex.begin(), hex.end(),
                         [](char c) { return std::isxdigit(static_cast<unsigned char>(c)); }))
            return std::nullopt;
        const auto [end, ec] =
            std::from_chars(hex.data(), hex.data() + hex.size(), d, std::chars_format::hex);
        if (ec != std::errc() || end != hex.data() + hex.size()) return std::nullopt;
    } else {
        const auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), d);
        if (ec != std::errc() || end != v.data() + v.size()) return std::nullopt;
    }
    return negative ? -d : d;
}

// "10.0.0.5", "2001:db8::1": a holder that wrote its address.
bool isIpAddress(std::string_view v) {
    if (v.size() < 2 || v.size() > 45) return false;
    const std::string s(v);
    unsigned char buf[16];
    return inet_pton(AF_INET, s.c_str(), buf) == 1 || inet_pton(AF_INET6, s.c_str(), buf) == 1;
}

// "10.0.0.5:4242", "[2001:db8::1]:4242": an address and a process id (or port).
std::optional<std::pair<std::string_view, std::string_view>> ipAndNumber(std::string_view v) {
    if (!v.empty() && v.front() == '[') {
        const auto close = v.find("]:");
        if (close == std::string_view::npos) return std::nullopt;
        return std::pair{v.substr(1, close - 1), v.substr(close + 2)};
    }
    const auto colon = v.rfind(':');
    if (colon == std::string_view::npos || v.find(':') != colon) return std::nullopt;  // not IPv6
    return std::pair{v.substr(0, colon), v.substr(colon + 1)};
}

// "lease" / "Leases": a word that names a contract (lease:apartment:7) as often as a lock; and
// "guard", a person's post (guard:shift:night = "Bob Smith").
// "leader", a team's or a project's leader (team:42:leader = alice) as often as an elected
// process.
bool isLeaseWord(std::string_view w) {
    std::string lower;
    for (char c : w) lower += lowerAscii(c);
    return oneOf(lower, {"lease", "leases", "guard", "guards", "leader", "leaders"});
}

// A process's or a machine's name, as an elected leader or a lease's holder writes it: a
// generated token, a host name or address, "pid@host" / "host:pid", or a name with a digit or
// built of parts (web-1, scheduler-node-3, billing-7f9c8d6b5-x2v4q). Not a person's name
// (alice, "Alice Smith") nor a reference to a person's record (user:42, member:7).
bool isMachineIdentity(std::string_view v) {
    if (isGeneratedToken(v, false) || isHostName(v) || isIpAddress(v)) return true;
    if (auto ip = ipAndNumber(v); ip && isIpAddress(ip->first)) return true;
    if (!isIdentity(v)) return false;
    if (const auto colon = v.find(':'); colon != std::string_view::npos) {
        std::string head;
        for (char c : v.substr(0, colon)) head += lowerAscii(c);
        if (oneOf(head, {"user", "users", "member", "members", "account", "accounts", "person",
                         "people", "player", "players", "customer", "customers", "employee",
                         "employees", "profile", "profiles", "uid", "u"}))
            return false;
    }
    return std::any_of(v.begin(), v.end(), isAsciiDigit) || looksNamed(v);
}

// "30s", "5 min", "1h30m", "500ms": a duration — a setting's value (lock:ttl = 30s), not a
// holder.
bool isDuration(std::string_view v) {
    // ISO 8601's PT30S, P1D, PT1H30M (java.time.Duration's toString): a duration too (adv11h 12).
    if (v.size() >= 3 && (v[0] == 'P' || v[0] == 'p')) {
        bool digit = false, unit = false;
        for (size_t k = 1; k < v.size(); ++k) {
            const char ch = static_cast<char>(v[k] & ~0x20);
            if (isAsciiDigit(v[k]) || v[k] == '.')
                digit = true;
            else if (ch == 'T' && k == 1)
                continue;
            else if ((ch == 'D' || ch == 'H' || ch == 'M' || ch == 'S' || ch == 'W') && digit) {
                unit = true;
                digit = false;
            } else {
                return false;
            }
        }
        return unit && !digit;
    }
    size_t i = 0, parts = 0;
    while (i < v.size()) {
        const size_t digits = i;
        while (i < v.size() && isAsciiDigit(v[i])) ++i;
        if (i == digits) return false;
        if (i < v.size() && v[i] == '.') {
            const size_t frac = ++i;
            while (i < v.size() && isAsciiDigit(v[i])) ++i;
            if (i == frac) return false;
        }
        if (i < v.size() && v[i] == ' ') ++i;
        std::string unit;
        while (i < v.size() && isAsciiAlpha(v[i])) unit += lowerAscii(v[i++]);
        if (!oneOf(unit, {"ns",   "us",    "ms",   "s",      "sec",     "secs", "second", "seconds",
                          "m",    "min",   "mins", "minute", "minutes", "h",    "hr",     "hrs",
                          "hour", "hours", "d",    "day",    "days",    "w",    "week",   "weeks"}))
            return false;
        ++parts;
        if (i < v.size() && v[i] == ' ') ++i;
    }
    return parts > 0;
}

// "🔒", "✅", "⏳ ⌛": pictographs only (emoji, dingbats, arrows, their joiners and variation
// selectors, blanks) — a symbol shown for the lock word (emoji:lock), not a holder's name.
// "🔒 build-bot" names one.
bool isPictograph(std::string_view v) {
    bool any = false;
    for (size_t i = 0; i < v.size();) {
        const auto b = static_cast<unsigned char>(v[i]);
        const size_t n = b < 0x80 ? 1 : b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 0;
        if (n == 0 || i + n > v.size()) return false;
        char32_t cp = n == 1 ? b : b & (0xff >> (n + 1));
        for (size_t k = 1; k < n; ++k)
            cp = (cp << 6) | (static_cast<unsigned char>(v[i + k]) & 0x3f);
        i += n;
        if (cp == ' ' || cp == 0x200d || cp == 0xfe0e || cp == 0xfe0f || cp == 0x20e3 ||
            (cp >= 0x1f3fb && cp <= 0x1f3ff) || (cp >= 0xe0020 && cp <= 0xe007f))
            continue;  // blanks, joiners, variation selectors, skin tones, tags
        const bool symbol = cp == 0xa9 || cp == 0xae || cp == 0x203c || cp == 0x2049 ||
                            cp == 0x2122 || cp == 0x2139 || (cp >= 0x2190 && cp <= 0x21ff) ||
                            (cp >= 0x2300 && cp <= 0x23ff) || (cp >= 0x25a0 && cp <= 0x27bf) ||
                            (cp >= 0x2900 && cp <= 0x297f) || (cp >= 0x2b00 && cp <= 0x2bff) ||
                            cp == 0x3030 || cp == 0x303d || cp == 0x3297 || cp == 0x3299 ||
                            (cp >= 0x1f000 && cp <= 0x1faff);
        if (!symbol) return false;
        any = true;
    }
    return any;
}

// "moderator-bob", "admin:alice", "mod_bob", "user:42": a person named by a role or by a record
// of theirs — who set a switch (a forum topic a moderator locked), not a process holding a lock.
// One separator, then a name (letters) or an id (digits); "admin-api", "user-service" name
// programs.
bool isPersonReference(std::string_view v) {
    const auto sep = v.find_first_of("-_:.@");
    if (sep == std::string_view::npos || sep == 0 || sep + 1 >= v.size()) return false;
    std::string head, rest;
    for (char c : v.substr(0, sep)) head += lowerAscii(c);
    for (char c : v.substr(sep + 1)) rest += lowerAscii(c);
    const bool name =
        std::all_of(rest.begin(), rest.end(), isAsciiAlpha) &&
        !oneOf(rest, {"api",  "cli",   "service", "svc",     "server", "worker", "job", "jobs",
                      "tool", "tools", "panel",   "console", "ui",     "web",    "app", "bot",
                      "sync", "task",  "tasks",   "cron",    "daemon", "node"});
    const bool id = std::all_of(rest.begin(), rest.end(), isAsciiDigit);
    if (oneOf(head, {"moderator", "mod", "admin", "administrator", "editor", "staff", "owner"}))
        return name || id;
    return v[sep] == ':' && id &&
           oneOf(head, {"user", "users", "member", "members", "account", "accounts", "person",
                        "people", "player", "players", "customer", "customers", "employee",
                        "employees", "profile", "profiles", "uid", "u"});
}

// Any short printable UTF-8 (a name in any script, an emoji, an address): what a hand-rolled lock
// under a lock-like name may store as its holder. Not JSON, not a released word.
// Judged on the trimmed value; a tab inside ("host\tx") and the backslash of a Windows name
// (CORP\svc-deploy, C:\jobs\run.bat) are text too.
bool isHolderText(std::string_view v) {
    v = trimSpace(v);
    if (v.empty() || v.size() > 128 || v.front() == '{' || v.front() == '[') return false;
    for (size_t start = 0; start <= v.size();) {
        const size_t end = std::min(v.find_first_of("\\\t", start), v.size());
        if (!isPlainText(v.substr(start, end - start))) return false;
        start = end + 1;
    }
    return true;
}

constexpr long long kEpochSecondsMin = 1'000'000'000;  // 2001-09-09
constexpr long long kEpochSecondsMax = 4'102'444'800;  // 2100-01-01

// "1733470000.52" (Python's time.time() + timeout): epoch milliseconds, when in 2001–2100.
std::optional<long long> epochSecondsWithFraction(std::string_view v) {
    const auto dot = v.find('.');
    if (dot == std::string_view::npos || dot != 10 || v.size() > 30) return std::nullopt;
    if (!std::all_of(v.begin(), v.begin() + 10, isAsciiDigit)) return std::nullopt;
    const std::string_view frac = v.substr(11);
    if (frac.empty() || !std::all_of(frac.begin(), frac.end(), isAsciiDigit)) return std::nullopt;
    long long seconds = 0;
    std::from_chars(v.data(), v.data() + 10, seconds);
    if (seconds < kEpochSecondsMin || seconds > kEpochSecondsMax) return std::nullopt;
    long long ms = 0;
    for (size_t i = 0; i < 3; ++i) ms = ms * 10 + (i < frac.size() ? frac[i] - '0' : 0);
    return seconds * 1000 + ms;
}

// "2023-11-14T22:13:20Z", "2023-11-14T22:13:20.000Z", "2026-12-07 03:00:00+01:00" (RFC 3339 /
// ISO-8601 with its offset), "2026-12-07T06:00:00.123456" (Python's isoformat() of a naive
// time: no offset, read as UTC — off by the writer's zone at most, and still a time, not a
// token or a host name): epoch milliseconds, in 2001–2100.
std::optional<long long> isoInstantMs(std::string_view v) {
    if (v.size() < 19 || v.size() > 40) return std::nullopt;
    auto num = [&](size_t at, size_t n) -> long long {
        long long x = 0;
        for (size_t k = at; k < at + n; ++k) {
            if (k >= v.size() || !isAsciiDigit(v[k])) return -1;
            x = x * 10 + (v[k] - '0');
        }
        return x;
    };
    if (v[4] != '-' || v[7] != '-' || (v[10] != 'T' && v[10] != 't' && v[10] != ' ') ||
        v[13] != ':' || v[16] != ':')
        return std::nullopt;
    const long long y = num(0, 4), mo = num(5, 2), d = num(8, 2), h = num(11, 2), mi = num(14, 2),
                    se = num(17, 2);
    if (y < 2001 || y > 2099 || mo < 1 || mo > 12 || d < 1 || d > 31 || h < 0 || h > 23 || mi < 0 ||
        mi > 59 || se < 0 || se > 60)
        return std::nullopt;
    size_t i = 19;
    long long ms = 0;
    if (i < v.size() && (v[i] == '.' || v[i] == ',')) {
        size_t digits = 0;
        for (++i; i < v.size() && isAsciiDigit(v[i]); ++i, ++digits)
            if (digits < 3) ms = ms * 10 + (v[i] - '0');
        if (digits == 0) return std::nullopt;
        for (; digits < 3; ++digits) ms *= 10;
    }
    long long offsetMin = 0;
    if (i < v.size() && (v[i] == 'Z' || v[i] == 'z') && i + 1 == v.size()) {
        // UTC
    } else if (i < v.size() && (v[i] == '+' || v[i] == '-')) {
        const long long oh = num(i + 1, 2);
        const size_t m = i + 3 < v.size() && v[i + 3] == ':' ? i + 4 : i + 3;
        const long long om = num(m, 2);
        if (oh < 0 || oh > 23 || om < 0 || om > 59 || m + 2 != v.size()) return std::nullopt;
        offsetMin = (v[i] == '-' ? -1 : 1) * (oh * 60 + om);
    } else if (i != v.size()) {
        return std::nullopt;  // no offset: read as UTC
    }
    // Days from 1970-01-01 to the civil date (proleptic Gregorian).
    const long long yy = mo <= 2 ? y - 1 : y;
    const long long era = yy / 400;
    const long long yoe = yy - era * 400;
    const long long doy = (153 * (mo + (mo > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const long long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    const long long days = era * 146097 + doe - 719468;
    return ((days * 86400 + h * 3600 + mi * 60 + se) - offsetMin * 60) * 1000 + ms;
}

// A preview's end cut back to a character boundary: the bytes of a UTF-8 character the preview
// split are dropped (its holder is then valid text, shown as such).
void cutAtCharacter(std::string& v) {
    size_t back = 0;
    while (back < 3 && back < v.size() &&
           (static_cast<unsigned char>(v[v.size() - 1 - back]) & 0xc0) == 0x80)
        ++back;
    if (back == v.size()) return;
    const auto lead = static_cast<unsigned char>(v[v.size() - 1 - back]);
    const size_t need = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1;
    if (lead >= 0xc0 && need > back + 1) v.resize(v.size() - 1 - back);
}

// A light JSON reader for one object's top-level fields (no library in core): enough to find an
// owner record, not a validator.
struct JsonReader {
    std::string_view s;
    size_t i = 0;
    // The text is the start of a longer value (a preview): object() returns the fields read
    // whole before the text runs out, and drops a last one that may be cut.
    bool partial = false;
    void ws() {
        while (i < s.size() && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r' || s[i] == '\n')) ++i;
    }
    // A string at s[i] (the opening quote), its escapes decoded (\uXXXX within the BMP).
    std::optional<std::string> string() {
        if (i >= s.size() || s[i] != '"') return std::nullopt;
        std::string out;
        for (++i; i < s.size(); ++i) {
            char c = s[i];
            if (c == '"') {
                ++i;
                return out;
            }
            if (c != '\\') {
                out += c;
                continue;
            }
            if (++i >= s.size()) return std::nullopt;
            switch (s[i]) {
                case 'n':
                    out += '\n';
                    break;
                case 't':
                    out += '\t';
                    break;
                case 'r':
                    out += '\r';
                    break;
                case 'b':
                    out += '\b';
                    break;
                case 'f':
                    out += '\f';
                    break;
                case 'u': {
                    unsigned cp = 0;
                    if (i + 4 >= s.size()) return std::nullopt;
                    for (size_t k = 1; k <= 4; ++k) {
                        const char h = s[i + k];
                        cp = cp * 16 + static_cast<unsigned>(
                                           isAsciiDigit(h) ? h - '0' : (lowerAscii(h) - 'a' + 10));
                    }
                    i += 4;
                    if (cp < 0x80) {
                        out += static_cast<char>(cp);
                    } else if (cp < 0x800) {
                        out += static_cast<char>(0xc0 | (cp >> 6));
                        out += static_cast<char>(0x80 | (cp & 0x3f));
                    } else {
                        out += static_cast<char>(0xe0 | (cp >> 12));
                        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
                        out += static_cast<char>(0x80 | (cp & 0x3f));
                    }
                    break;
                }
                default:
                    out += s[i];  // \" \\ \/
            }
        }
        return std::nullopt;
    }
    // Skips one value; its raw text.
    std::optional<std::string_view> value() {
        const size_t start = i;
        if (i < s.size() && s[i] == '"') {
            if (!string()) return std::nullopt;
            return s.substr(start, i - start);
        }
        int depth = 0;
        for (; i < s.size(); ++i) {
            const char c = s[i];
            if (c == '"') {
                if (!string()) return std::nullopt;
                --i;
            } else if (c == '{' || c == '[') {
                ++depth;
            } else if (c == '}' || c == ']') {
                if (depth == 0) break;
                if (--depth == 0) {
                    ++i;
                    break;
                }
            } else if (c == ',' && depth == 0) {
                break;
            }
        }
        if (depth != 0 || i == start) return std::nullopt;
        std::string_view raw = s.substr(start, i - start);
        while (!raw.empty() && (raw.back() == ' ' || raw.back() == '\n' || raw.back() == '\t' ||
                                raw.back() == '\r'))
            raw.remove_suffix(1);
        return raw;
    }
    // The object's top-level fields, name → raw value text; nullopt when it is not an object.
    std::optional<std::vector<std::pair<std::string, std::string_view>>> object() {
        ws();
        if (i >= s.size() || s[i] != '{') return std::nullopt;
        ++i;
        std::vector<std::pair<std::string, std::string_view>> fields;
        ws();
        if (i < s.size() && s[i] == '}') return fields;
        // Where a preview ran out: the fields read so far.
        auto cut = [&]() -> std::optional<std::vector<std::pair<std::string, std::string_view>>> {
            if (partial && i >= s.size()) return fields;
            return std::nullopt;
        };
        while (i < s.size()) {
            ws();
            auto name = string();
            if (!name) return cut();
            ws();
            if (i >= s.size() || s[i] != ':') return cut();
            ++i;
            ws();
            auto raw = value();
            if (!raw) return cut();
            if (partial && i >= s.size()) return fields;  // its value may go on past the preview
            fields.emplace_back(std::move(*name), *raw);
            ws();
            if (i < s.size() && s[i] == ',') {
                ++i;
                continue;
            }
            if (i < s.size() && s[i] == '}') return fields;
            return std::nullopt;
        }
        return std::nullopt;
    }
};

// A field name lower-cased without separators: "Owner", "locked_by", "holderIdentity" compare
// as "owner", "lockedby", "holderidentity".
std::string fieldWord(std::string_view name) {
    std::string out;
    for (char c : name)
        if (c != '_' && c != '-' && c != ' ') out += lowerAscii(c);
    return out;
}

// JSON object: who holds it, from its owner-like field. A field naming the owner outright
// (owner, holder, locked_by, acquired_by, holderIdentity — Kubernetes' Lease) is `strong` and
// wins over one that names a holder's part (host, node, client_id, user, token, pid...). An
// owner that is an object ({"owner":{"host":"web-1","pid":7}}) is read for its parts; a null
// one names nobody. Also a flat record's host and pid beside the owner.
struct JsonOwnerField {
    std::string value;  // the owner's name, empty when it names nobody (null)
    bool strong = false;
    std::string host;
    long long pid = -1;
    long long expiresMs = -1;  // an expiry in the value (expires_at: epoch s or ms), -1 none
    // The record says the lock is not held: {"released":true}, {"status":"released"},
    // {"state":"unlocked"}, {"locked":false}, {"isLocked":false}.
    bool released = false;
};
std::optional<JsonOwnerField> jsonOwner(std::string_view v, bool partial = false);

std::optional<JsonOwnerField> jsonOwnerFields(std::string_view v, int depth, bool partial) {
    if (v.size() < 2 || v.front() != '{' || (!partial && v.back() != '}') || depth > 2)
        return std::nullopt;
    JsonReader reader{v};
    reader.partial = partial;
    const auto fields = reader.object();
    if (!fields) return std::nullopt;
    auto scalar = [](std::string_view raw) -> std::optional<std::string> {
        if (raw.empty()) return std::nullopt;
        if (raw.front() == '"') return JsonReader{raw}.string();
        if (raw == "null" || raw.front() == '{' || raw.front() == '[') return std::nullopt;
        return std::string(raw);  // a number, true / false
    };
    auto pidOf = [](std::string_view raw) {
        long long p = -1;
        if (!raw.empty() && raw.size() <= 9 && std::all_of(raw.begin(), raw.end(), isAsciiDigit))
            std::from_chars(raw.data(), raw.data() + raw.size(), p);
        return p;
    };
    std::optional<JsonOwnerField> best;
    int bestRank = 0;
    std::string host;
    long long pid = -1;
    long long expires = -1;
    bool released = false;
    for (const auto& [name, raw] : *fields) {
        const std::string w = fieldWord(name);
        if (oneOf(w, {"released", "isreleased", "unlocked", "isunlocked", "free", "isfree"}) &&
            (raw == "true" || raw == "1"))
            released = true;
        if (oneOf(w, {"locked", "islocked", "held", "isheld", "acquired", "isacquired", "taken",
                      "istaken", "active", "isactive"}) &&
            (raw == "false" || raw == "0"))
            released = true;
        if (oneOf(w, {"status", "state", "lockstate", "lockstatus"}) && !raw.empty() &&
            raw.front() == '"') {
            if (const auto text = JsonReader{raw}.string()) {
                std::string lower;
                for (char c : *text) lower += lowerAscii(c);
                if (oneOf(lower, {"released", "unlocked", "free", "available", "idle", "unlock"}))
                    released = true;
            }
        }
        int rank = 0;
        if (oneOf(w, {"owner", "holder", "lockedby", "lockowner", "ownerid", "holderidentity",
                      "holderid", "acquiredby", "heldby", "lockholder", "lockedbyid"}))
            rank = 3;
        else if (oneOf(w, {"worker",     "workerid",   "instance",    "instanceid", "clientid",
                           "client",     "node",       "nodeid",      "nodename",   "server",
                           "servername", "process",    "processname", "user",       "userid",
                           "username",   "pod",        "podname",     "machine",    "who",
                           "consumer",   "consumerid", "by",          "identity"}))
            rank = 2;
        else if (oneOf(w, {"host", "hostname", "token", "sessionid", "session", "pid"}))
            rank = 1;
        // A part of the holder is named by text: {"user":1} is a document's field, not a holder
        // (a process id is a number).
        if (rank > 0 && rank < 3 && w != "pid" && (raw.empty() || raw.front() != '"')) rank = 0;
        if (w == "host" || w == "hostname") {
            if (auto h = scalar(raw)) host = *h;
        }
        if (w == "pid" || w == "processid") pid = pidOf(raw);
        if (oneOf(w, {"expiresat", "expires", "expiry", "expireat", "expiration", "validuntil",
                      "leaseexpires", "expiresatms"})) {
            // Epoch seconds (a fraction allowed) or milliseconds, as a number; or an ISO-8601
            // time ("2023-11-14T22:13:20Z", as JavaScript's toISOString() writes it).
            if (!raw.empty() && raw.front() == '"') {
                if (const auto text = JsonReader{raw}.string())
                    if (const auto ms = isoInstantMs(*text)) expires = *ms;
            }
            long long n = 0;
            const auto dot = raw.find('.');
            const std::string_view whole = raw.substr(0, dot);
            if (!whole.empty() && whole.size() <= 13 &&
                std::all_of(whole.begin(), whole.end(), isAsciiDigit)) {
                std::from_chars(whole.data(), whole.data() + whole.size(), n);
                if (n >= 1'000'000'000 && n < 4'102'444'800)
                    expires = n * 1000;
                else if (n >= 1'000'000'000'000 && n < 4'102'444'800'000)
                    expires = n;
            }
        }
        if (rank <= bestRank) continue;
        JsonOwnerField f;
        f.strong = rank == 3;
        if (!raw.empty() && raw.front() == '{') {
            // {"owner":{"host":"web-1","pid":7}}: its parts.
            if (auto inner = jsonOwnerFields(raw, depth + 1, false)) {
                f.host = inner->host;
                f.pid = inner->pid;
                f.value = !inner->value.empty() ? inner->value : inner->host;
            }
        } else if (auto text = scalar(raw)) {
            f.value = *text;
        }
        best = std::move(f);
        bestRank = rank;
    }
    if (best) {
        if (best->host.empty()) best->host = host;
        if (best->pid < 0) best->pid = pid;
        best->expiresMs = expires;
        best->released = released;
    }
    return best;
}

std::optional<JsonOwnerField> jsonOwner(std::string_view v, bool partial) {
    return jsonOwnerFields(v, 0, partial);
}

// A hand-rolled hash lock (`HSET lock:report-gen owner web-1 pid 4242 acquired_at ...`): its
// owner-like field (3: names the owner outright, 2: a worker / node / process, 1: host, pid,
// thread); the best rank wins, then the first normalised name, then the first raw name — the
// holder-op script (locks/holder_ops.cpp, 'hash-owner') picks the same field. Every other field
// must be about the lock (a time, a reason, a token...): a hash with other data is a record that
// merely names someone. docs/client-formats.md#format-hash-owner.
int hashOwnerRank(std::string_view w) {
    if (oneOf(w, {"owner", "holder", "lockedby", "lockowner", "ownerid", "holderidentity",
                  "holderid", "acquiredby", "heldby", "lockholder", "lockedbyid"}))
        return 3;
    if (oneOf(w, {"worker", "workerid", "instance", "instanceid", "client", "clientid", "node",
                  "nodeid", "nodename", "server", "servername", "process", "processname", "pod",
                  "podname", "machine", "consumer", "consumerid"}))
        return 2;
    if (oneOf(w, {"host", "hostname", "pid", "processid", "thread", "threadid", "threadname"}))
        return 1;
    return 0;
}

bool isLockInfoField(std::string_view w) {
    return oneOf(w,
                 {"acquiredat", "acquired",  "lockedat",  "since",      "createdat",  "created",
                  "startedat",  "started",   "timestamp", "time",       "at",         "expiresat",
                  "expires",    "expiry",    "expireat",  "expiration", "validuntil", "ttl",
                  "ttlms",      "lease",     "leasems",   "timeout",    "timeoutms",  "heartbeat",
                  "renewedat",  "updatedat", "count",     "holds",      "holdcount",  "token",
                  "id",         "lockid",    "reason",    "job",        "jobid",      "task",
                  "taskid",     "name",      "version",   "nonce",      "fence",      "locked",
                  "state",      "status",    "user",      "username",   "by",         "who",
                  "identity"});
}

// A hash-owner field that names the holder or one acquisition: every owner-like field (the
// ranks above) and a token, an id, a user, when it was taken. Not a renewal's (renewed_at,
// heartbeat, expires_at, ttl) nor a count.
bool isHashIdentityWord(std::string_view w) {
    return hashOwnerRank(w) > 0 ||
           oneOf(w, {"token",    "locktoken",     "lockid",    "id",         "nonce",
                     "uuid",     "sessionid",     "session",   "fence",      "fencingtoken",
                     "leaseid",  "acquisitionid", "user",      "username",   "userid",
                     "by",       "who",           "identity",  "acquiredat", "acquired",
                     "lockedat", "since",         "startedat", "started",    "createdat",
                     "created"});
}

// A hash owner's field value inside the holder string: '\\', ';' and '=' escaped with a
// backslash, so an owner "web-1; pid=7" cannot read as the owner web-1 beside a pid field
// (adv11e item 8). The holder-op script (locks/holder_ops.cpp) escapes the same three.
std::string escapeHolderPart(std::string_view v) {
    std::string out;
    out.reserve(v.size());
    for (char c : v) {
        if (c == '\\' || c == ';' || c == '=') out += '\\';
        out += c;
    }
    return out;
}

// The owner part of a hash owner's holder: up to the first "; " not escaped, unescaped.
std::string hashHolderOwner(std::string_view h) {
    std::string out;
    for (size_t i = 0; i < h.size(); ++i) {
        if (h[i] == '\\' && i + 1 < h.size()) {
            out += h[++i];
            continue;
        }
        if (h[i] == ';' && i + 1 < h.size() && h[i + 1] == ' ') break;
        out += h[i];
    }
    return out;
}

struct HashOwnerField {
    std::string value;
    long long pid = -1;
    bool host = false;  // the field is host / hostname
};

std::optional<HashOwnerField> hashOwner(const std::vector<std::pair<std::string, std::string>>& f) {
    if (f.empty() || f.size() > 16) return std::nullopt;
    const std::pair<std::string, std::string>* best = nullptr;
    int bestRank = 0;
    std::string bestWord;
    long long pid = -1;
    for (const auto& field : f) {
        const std::string w = fieldWord(field.first);
        const int rank = hashOwnerRank(w);
        if (rank == 0 && !isLockInfoField(w)) return std::nullopt;
        if ((w == "pid" || w == "processid") && !field.second.empty() && field.second.size() <= 9 &&
            std::all_of(field.second.begin(), field.second.end(), isAsciiDigit))
            pid = std::stoll(field.second);
        if (rank > 0 &&
            (rank > bestRank || (rank == bestRank &&
                                 (w < bestWord || (w == bestWord && field.first < best->first))))) {
            best = &field;
            bestRank = rank;
            bestWord = w;
        }
    }
    if (!best || trimSpace(best->second).empty()) return std::nullopt;
    HashOwnerField out;
    out.value = escapeHolderPart(best->second);
    // The whole identity, as shown and compared by force-release (adv11d item 2): the owner's
    // value, then every other field that names the holder or the acquisition (pid, thread,
    // token, acquired_at...) as "; <name>=<value>", ordered by normalised name then raw name
    // (bytewise) — the holder-op script (locks/holder_ops.cpp) builds the same string. Another
    // process on the same host (pid 4242 → 5151) is another holder.
    std::vector<std::pair<std::string, const std::pair<std::string, std::string>*>> others;
    for (const auto& field : f) {
        const std::string w = fieldWord(field.first);
        if (&field != best && isHashIdentityWord(w)) others.emplace_back(w, &field);
    }
    std::sort(others.begin(), others.end(), [](const auto& a, const auto& b) {
        return a.first != b.first ? a.first < b.first : a.second->first < b.second->first;
    });
    for (const auto& [w, field] : others)
        out.value += "; " + escapeHolderPart(field->first) + "=" + escapeHolderPart(field->second);
    out.pid = pid;
    out.host = bestWord == "host" || bestWord == "hostname";
    return out;
}

// ShedLock's value: "ADDED:<ISO-8601 instant>@<hostname>", newer versions ":<uuid>" after it.
bool isShedLockValue(std::string_view v) {
    constexpr std::string_view kAdded = "ADDED:";
    if (v.size() < kAdded.size() + 20 || v.substr(0, kAdded.size()) != kAdded) return false;
    const std::string_view rest = v.substr(kAdded.size());
    // 2024-01-02T03:04:05[.fraction]Z
    if (!(isAsciiDigit(rest[0]) && rest[4] == '-' && rest[7] == '-' && rest[10] == 'T' &&
          rest[13] == ':' && rest[16] == ':'))
        return false;
    const auto at = rest.find('@');
    return at != std::string_view::npos && at >= 19 && at + 1 < rest.size();
}

// A serialised scalar a cache library wrote: a Python pickle (protocol 2-5, as django-redis
// and Django's RedisCache store every value but an integer; docs/client-formats.md#evidence) or
// a Ruby Marshal value (4.8) of true, false or one short string. `text` is the string.
struct SerializedScalar {
    enum Kind { True, False, Text } kind = Text;
    std::string text;
};
std::optional<SerializedScalar> serializedScalar(std::string_view v) {
    auto byte = [&](size_t i) { return i < v.size() ? static_cast<unsigned char>(v[i]) : 0u; };
    SerializedScalar out;
    if (v.size() >= 4 && byte(0) == 0x80 && byte(1) >= 2 && byte(1) <= 5) {
        size_t i = 2;
        if (byte(i) == 0x95) i += 9;  // FRAME <8-byte length> (protocol 4+)
        const unsigned op = byte(i);
        if (op == 0x88 || op == 0x89) {  // NEWTRUE / NEWFALSE
            out.kind = op == 0x88 ? SerializedScalar::True : SerializedScalar::False;
            ++i;
        } else if (op == 0x8c || op == 'U' ||
                   op == 'C') {  // SHORT_BINUNICODE / _BINSTRING / _BYTES
            const size_t n = byte(i + 1);
            if (i + 2 + n > v.size()) return std::nullopt;
            out.text = std::string(v.substr(i + 2, n));
            i += 2 + n;
        } else if (op == 'X' || op == 'T' || op == 'B') {  // BINUNICODE / BINSTRING / BINBYTES
            const size_t n = byte(i + 1) | byte(i + 2) << 8 | byte(i + 3) << 16 | byte(i + 4) << 24;
            if (n > 256 || i + 5 + n > v.size()) return std::nullopt;
            out.text = std::string(v.substr(i + 5, n));
            i += 5 + n;
        } else {
            return std::nullopt;
        }
        if (byte(i) == 0x94)  // MEMOIZE
            ++i;
        else if (byte(i) == 'q')  // BINPUT <1>
            i += 2;
        else if (byte(i) == 'r')  // LONG_BINPUT <4>
            i += 5;
        if (i + 1 != v.size() || byte(i) != '.') return std::nullopt;  // STOP, the end
        return out;
    }
    if (v.size() >= 3 && byte(0) == 4 && byte(1) == 8) {
        if (v.size() == 3 && (v[2] == 'T' || v[2] == 'F')) {
            out.kind = v[2] == 'T' ? SerializedScalar::True : SerializedScalar::False;
            return out;
        }
        // '"' <len> bytes, or 'I' '"' <len> bytes <ivars: the encoding> (a String)
        size_t i = 2;
        const bool ivar = v[i] == 'I';
        if (ivar) ++i;
        if (byte(i) != '"') return std::nullopt;
        const unsigned b = byte(i + 1);
        size_t n = 0;
        if (b == 0)
            n = 0;
        else if (b >= 6 && b <= 127)
            n = b - 5;
        else if (b == 1)
            n = byte(i + 2), ++i;
        else
            return std::nullopt;
        if (i + 2 + n > v.size()) return std::nullopt;
        out.text = std::string(v.substr(i + 2, n));
        i += 2 + n;
        // The encoding ivar: 1 ivar, :E (or its symlink ;\0) true/false, or :encoding "name".
        static constexpr std::string_view kEncodings[] = {std::string_view("\x06:\x06"
                                                                           "ET",
                                                                           5),
                                                          std::string_view("\x06:\x06"
                                                                           "EF",
                                                                           5),
                                                          std::string_view("\x06;\x00"
                                                                           "T",
                                                                           4),
                                                          std::string_view("\x06;\x00"
                                                                           "F",
                                                                           4)};
        if (ivar && std::find(std::begin(kEncodings), std::end(kEncodings), v.substr(i)) ==
                        std::end(kEncodings))
            return std::nullopt;
        if (!ivar && i != v.size()) return std::nullopt;
        return out;
    }
    return std::nullopt;
}

// A time as a lock's value may hold one: epoch s / ms / µs / ns (2001-2100), epoch seconds
// with a fraction, or ISO-8601.
bool isTimeValue(std::string_view t) {
    if (const auto n = parseInteger(t)) {
        const long long x = *n;
        return (x >= kEpochSecondsMin && x <= kEpochSecondsMax) ||
               (x >= kEpochSecondsMin * 1000 && x <= kEpochSecondsMax * 1000) ||
               (x >= kEpochSecondsMin * 1'000'000 && x <= kEpochSecondsMax * 1'000'000) ||
               (x >= kEpochSecondsMin * 1'000'000'000 && x <= 4'102'444'800'000'000'000);
    }
    return epochSecondsWithFraction(t).has_value() || isoInstantMs(t).has_value();
}

// A person or a role as a JSON lock's owner ({"locked_by":"admin","reason":"fraud"}): who set a
// switch, as topic:78:lock = moderator-bob, not a process.
bool isPersonOwner(std::string_view v) {
    std::string lower;
    for (char c : v) lower += lowerAscii(c);
    return isPersonReference(v) || oneOf(lower, {"admin", "administrator", "moderator", "mod",
                                                 "editor", "staff", "support", "superuser"});
}

std::uint8_t shapeBits(ValueShape s) { return static_cast<std::uint8_t>(s); }

constexpr long long kUnmeasuredBeatWindowMs = 60'000;
// The fastest heartbeat a counter's rise is judged by (followBeats): one INCR every 10 ms.
constexpr long long kFastestBeatMs = 10;
constexpr long long kEpochMsMin = 1'000'000'000'000;  // 2001-09-09
constexpr long long kEpochMsMax = 4'102'444'800'000;  // 2100-01-01

// Symfony Lock's RedisStore (>= 5.2; docs/client-formats.md#symfony): a zset whose members are
// the holders' tokens (base64 of 32 random bytes) and, while one holder has it exclusively,
// `__write__`; each scored with its lease's expiry (epoch ms), the key PEXPIREAT the latest.
bool isSymfonyToken(std::string_view m) {
    if (m.size() != 44 || m[43] != '=') return false;
    return std::all_of(m.begin(), m.begin() + 43, [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '+' || c == '/';
    });
}

struct SymfonyHold {
    std::vector<std::string> holders;  // the tokens whose lease has not run out, sorted
    bool write = false;                // `__write__` is there and in time
    bool marker = false;               // `__write__` is there, in time or not
};

// A zset of Symfony Lock's layout read at `wallNowMs`; nullopt when it is not one (a member that
// is no token, a score that is no time, no TTL: its scripts always set one).
std::optional<SymfonyHold> symfonyHold(const Observation& obs, long long wallNowMs) {
    if (obs.type != "zset" || obs.fields.empty() || obs.pttlMs <= 0) return std::nullopt;
    SymfonyHold h;
    bool anyToken = false;
    for (const auto& [member, score] : obs.fields) {
        char* end = nullptr;
        const double at = std::strtod(score.c_str(), &end);
        if (score.empty() || end != score.c_str() + score.size() ||
            !(at >= static_cast<double>(kEpochMsMin) && at <= static_cast<double>(kEpochMsMax)))
            return std::nullopt;
        const bool inTime = at > static_cast<double>(wallNowMs);
        if (member == "__write__") {
            h.write = inTime;
            h.marker = true;
            continue;
        }
        if (!isSymfonyToken(member)) return std::nullopt;
        anyToken = true;
        if (inTime) h.holders.push_back(member);
    }
    if (!anyToken) return std::nullopt;
    std::sort(h.holders.begin(), h.holders.end());
    return h;
}

// sidekiq-unique-jobs' `<digest>:LOCKED` hash (docs/client-formats.md#format-sidekiq-unique-jobs):
// the digest under the library's prefix (`uniquejobs:`, its default lock_prefix, at the start or
// after a namespace; a rule stands for a configured one), every field a Sidekiq job id
// (SecureRandom.hex(12): 24 lowercase hex), every value the epoch time it was locked, in seconds.
// A `*:LOCKED` hash of other ids (doors:LOCKED = front → a time) is no job's lock (adv11e item
// 4). The job ids sorted; the first time.
struct SidekiqLocked {
    std::vector<std::string> jids;
    long long firstMs = 0;
};
bool isSidekiqJid(std::string_view jid) { return jid.size() == 24 && isLowerHex(jid); }
bool underUniqueJobsPrefix(std::string_view key) {
    constexpr std::string_view kPrefix = "uniquejobs:";
    for (size_t at = key.find(kPrefix); at != std::string_view::npos;
         at = key.find(kPrefix, at + 1))
        if (at == 0 || key[at - 1] == ':') return true;
    return false;
}
std::optional<SidekiqLocked> sidekiqLocked(std::string_view key, const Observation& obs,
                                           bool ruleSaysLock) {
    constexpr std::string_view kSuffix = ":LOCKED";
    if (obs.type != "hash" || obs.truncated || obs.fields.empty() || key.size() <= kSuffix.size() ||
        key.substr(key.size() - kSuffix.size()) != kSuffix ||
        (!ruleSaysLock && !underUniqueJobsPrefix(key)))
        return std::nullopt;
    SidekiqLocked out;
    for (const auto& [jid, at] : obs.fields) {
        if (!isSidekiqJid(jid)) return std::nullopt;
        std::optional<long long> ms = epochSecondsWithFraction(at);
        if (!ms)
            if (const auto n = parseInteger(at);
                n && *n >= kEpochSecondsMin && *n <= kEpochSecondsMax)
                ms = *n * 1000;
        if (!ms) return std::nullopt;
        if (out.firstMs == 0 || *ms < out.firstMs) out.firstMs = *ms;
        out.jids.push_back(jid);
    }
    std::sort(out.jids.begin(), out.jids.end());
    return out;
}

// What SETNX + EXPIRE writes beside its TTL: 1, a holder's name (a host, host:pid, worker-3, a
// generated token) or a time (epoch seconds or ms, with a fraction, ISO 8601). `file`: a hex
// digest is a file's hash, not a token.
bool isLeaseValue(std::string_view v, bool file) {
    if (const auto n = parseInteger(v))
        return *n == 1 || (*n >= kEpochSecondsMin && *n <= kEpochSecondsMax) ||
               (*n >= kEpochMsMin && *n <= kEpochMsMax);
    if (epochSecondsWithFraction(v) || isoInstantMs(v)) return true;
    const bool hex = std::all_of(v.begin(), v.end(), [](char c) {
        return std::isxdigit(static_cast<unsigned char>(c)) != 0;
    });
    if (file && hex) return false;  // an md5 / sha1 / sha256 of yarn.lock
    return isGeneratedToken(v, file) || isMachineIdentity(v);
}

// The lock word voided by a catalog word (product:smart-lock:stock): a product's record.
bool isCatalogContext(const NameClues& name) {
    std::string w;
    for (char ch : name.contextWord) w += lowerAscii(ch);
    return isCatalogWord(w);
}

// "web-1:12345:ca9d96379b93": a host, a process id and a hex nonce of 6+ digits — Sidekiq's
// process identity (hostname:pid:SecureRandom.hex(6)), as Sidekiq Enterprise's leader election
// (dear-leader) writes it.
bool isProcessNonce(std::string_view v) {
    const auto last = v.rfind(':');
    if (last == std::string_view::npos || last == 0) return false;
    const auto mid = v.rfind(':', last - 1);
    if (mid == std::string_view::npos || mid == 0) return false;
    const std::string_view host = v.substr(0, mid), pid = v.substr(mid + 1, last - mid - 1),
                           nonce = v.substr(last + 1);
    return isIdentity(host) && host.find(':') == std::string_view::npos && !pid.empty() &&
           pid.size() <= 10 && std::all_of(pid.begin(), pid.end(), isAsciiDigit) &&
           nonce.size() >= 6 && nonce.size() <= 32 && isLowerHex(nonce) &&
           std::any_of(nonce.begin(), nonce.end(), isAsciiAlpha);
}

// "<uuid>:<n>": a BullMQ worker's token for one job (the worker's id, a UUID v4, and a counter
// of the jobs it fetched).
bool isBullMqToken(std::string_view v) {
    const auto colon = v.rfind(':');
    return colon == 36 && isUuid(v.substr(0, 36)) && colon + 1 < v.size() &&
           v.size() - colon <= 20 && std::all_of(v.begin() + 37, v.end(), isAsciiDigit);
}

// Laravel's Str::random(16): 16 letters and digits drawn from upper, lower and digits; 16 of
// them without both cases happen once in ~3,000, so a lower-case hex digest or an all-caps code is
// no Laravel owner (adv11g item 1).
bool isLaravelOwner(std::string_view v) {
    if (v.size() != 16) return false;
    bool upper = false, lower = false;
    for (char c : v) {
        if (c >= 'A' && c <= 'Z')
            upper = true;
        else if (c >= 'a' && c <= 'z')
            lower = true;
        else if (!isAsciiDigit(c))
            return false;
    }
    return upper && lower;
}

// Under a Laravel cache prefix: its first segment holds the Redis connection's `_database_` and
// ends `_cache` before ':' (Laravel 6-10:
// laravel_database_laravel_cache:<name>) or `_cache_` (Laravel 11: ..._laravel_cache_<name>).
bool underLaravelCachePrefix(std::string_view key) {
    for (std::string_view mark : {std::string_view("_cache:"), std::string_view("_cache_")}) {
        const auto at = key.find(mark);
        // Laravel's Redis connection prefixes every key `<app>_database_` before the cache's own
        // `<app>_cache`: without it, `token_cache:user:42` is any application's cache (adv11g
        // item 1). A lock under another prefix is listed by a rule.
        if (at != std::string_view::npos && at > 0 && at + mark.size() < key.size() &&
            key.substr(0, at).find(':') == std::string_view::npos &&
            key.substr(0, at).find("_database_") != std::string_view::npos)
            return true;
    }
    return false;
}

// A string lock of a job or cache library, told by its key prefix and its value together
// (docs/client-formats.md#other-clients):
//   BullMQ               <prefix>:<queue>:<job id>:lock = "<worker uuid>:<n>"
//   activejob-uniqueness activejob_uniqueness:<job>:<digest> = a UUID (redlock-rb's)
//   celery_once          qo_<task>_<args> = a uuid1 hex (redis-py Lock) or its expiry in epoch
//                        seconds (before 3.0), with a TTL
//   Laravel Cache::lock  <cache prefix><name> = Str::random(16), raw (other cache values are
//                        PHP-serialized, numbers aside)
std::optional<Format> libraryStringFormat(std::string_view key, std::string_view v,
                                          long long pttlMs) {
    if (key.size() > 5 && key.substr(key.size() - 5) == ":lock" &&
        std::count(key.begin(), key.end(), ':') >= 3 && isBullMqToken(v))
        return Format::BullMq;
    if (startsWith(key, "activejob_uniqueness:") && isUuid(v)) return Format::ActiveJobUniqueness;
    if (startsWith(key, "qo_") && key.size() > 3 && pttlMs >= 0) {
        if (v.size() == 32 && isLowerHex(v)) return Format::CeleryOnce;
        if (const auto n = parseInteger(v); n && *n >= kEpochSecondsMin && *n <= kEpochSecondsMax)
            return Format::CeleryOnce;
    }
    if (underLaravelCachePrefix(key) && isLaravelOwner(v)) return Format::LaravelCacheLock;
    return std::nullopt;
}

std::optional<Format> formatOfStrategy(std::string_view id) {
    if (auto f = formatFromName(id)) {
        switch (*f) {
            case Format::SetnxExpire:
            case Format::SetNxPx:
            case Format::Redlock:
            case Format::Fenced:
            case Format::UnsafeDel:
                return f;
            default:
                break;
        }
    }
    return std::nullopt;
}

std::string braced(std::string_view key) {
    // Redisson's prefixName(): a key that already carries a hash tag keeps it as is.
    if (key.find('{') != std::string_view::npos) return std::string(key);
    return "{" + std::string(key) + "}";
}

// Fills state and orphan information common to every lock.
void finishLock(KeyRecord& r, const ClassifyContext& ctx, std::optional<std::string> ownerTag,
                bool noTtlByDesign) {
    r.kind = Kind::Lock;
    r.state = LockState::Held;
    if (isKnownLayout(r.format) && r.shape() == ValueShape::Other)
        r.evidence |= static_cast<std::uint8_t>(ValueShape::Layout);
    if (ownerTag && ctx.lockscopeClientsByTag) {
        const bool connected = ctx.lockscopeClientsByTag->count(*ownerTag) > 0;
        // Missing, but perhaps only not back yet after a failover: not judged (orphanChecked
        // stays false) rather than called orphaned while it is alive.
        const bool wait =
            ctx.holderMayReconnect && ctx.holderMayReconnect(r, *ownerTag, connected) && !connected;
        if (!wait) {
            r.orphanChecked = true;
            if (!connected) r.state = LockState::Orphaned;
        }
    }
    // A stuck lock is the more urgent news: it will not heal, orphaned or not.
    if (r.ttlMs == -1 && !noTtlByDesign) r.state = LockState::StuckNoTtl;
    if (r.state == LockState::Held) refreshState(r, ctx.now, ctx.wallNowMs, ctx.expiringSoon);
}

void trackChange(KeyRecord& r, const Observation& obs, const ClassifyContext& ctx) {
    // First sight: the key has not been touched for idleSeconds (read before our GETRANGE).
    // Clamped to [0, 100 years]: a reply out of that range (a proxy, a corrupt reply) must not
    // overflow the clock's nanoseconds.
    constexpr long long kMaxIdle = 100LL * 365 * 24 * 3600;
    const long long idle = obs.idleSeconds ? std::clamp(*obs.idleSeconds, 0LL, kMaxIdle) : 0;
    r.lastChange = ctx.now - std::chrono::seconds(ctx.changeSeen ? 0 : idle);
    r.ageExact = ctx.changeSeen;
}

// Issue 11 round 6 (items 1-2): what the words after a lock word, and Chinese word classes, say
// about it. Sets contextWord (a physical lock, a product, a described thing), lockAttribute with
// settingAfter (a setting segment), eventWord (a past event), counterWord (a metric, a gauge).
void roundSixClues(std::string_view key, std::string_view last, NameClues& c) {
    const size_t lockAt = static_cast<size_t>(c.lockWord.data() - key.data());
    const size_t lockEnd = lockAt + c.lockWord.size();
    const bool lockInLast = c.lockWord.data() >= last.data();
    std::string lastLower;
    for (char ch : last) lastLower += lowerAscii(ch);
    // 门锁:42:状态, 密码锁:pin: the lock word names a physical lock.
    if (c.contextWord.empty() && !c.foreignThing.empty() && c.foreignThing == c.lockWord)
        c.contextWord = c.foreignThing;
    // 商品:智能锁 (a compound after a product word), 智能锁:标题 (a described thing).
    if (c.contextWord.empty() && !c.foreignCatalog.empty() &&
        c.foreignCatalog.data() < c.lockWord.data() && c.lockWord.size() > 3 &&
        static_cast<unsigned char>(c.lockWord.front()) >= 0x80)
        c.contextWord = c.foreignCatalog;
    if (c.contextWord.empty() && !lockInLast && isForeignDescriptionWord(last))
        c.contextWord = last;
    // A segment after the lock word's (English words, or a Chinese setting run).
    if (c.settingAfter.empty()) {
        size_t start = key.find(':', lockEnd);
        while (start != std::string_view::npos && c.settingAfter.empty()) {
            const size_t end = std::min(key.find(':', start + 1), key.size());
            const std::string_view seg = key.substr(start + 1, end - start - 1);
            bool any = false, all = !seg.empty();
            for (size_t b = 0; b < seg.size() && all;) {
                size_t e = b + 1;
                while (e < seg.size() && isAsciiAlpha(seg[e]) && !isAsciiUpper(seg[e])) ++e;
                std::string w;
                for (size_t k = b; k < e; ++k) w += lowerAscii(seg[k]);
                if (!isSettingSegmentWord(w)) all = false;
                any = any || !isMeasureWord(w);
                b = e;
                if (b < seg.size() && (seg[b] == '_' || seg[b] == '-')) ++b;
            }
            if (all && any) c.settingAfter = seg;
            start = end < key.size() ? end : std::string_view::npos;
        }
    }
    if (!c.settingAfter.empty() && c.settingAfter.data() > c.lockWord.data() &&
        c.contextWord.empty())
        c.lockAttribute = c.lockWord;
    else if (c.settingAfter.data() <= c.lockWord.data())
        c.settingAfter = {};
    if (!lockInLast && isPastEventSegment(lastLower)) c.eventWord = last;
    std::string lockLower;
    for (char ch : c.lockWord) lockLower += lowerAscii(ch);
    if (!lockInLast &&
        isLockMetricSegment(lastLower, oneOf(lockLower, {"locks", "mutexes", "leases"}))) {
        c.counterWord = true;
        if (c.counterText.empty()) c.counterText = last;
    }
}

// user:42:lock_comments, ban:user:42:lock_uploads, perm:member:7:lock_posts: the segment before
// a verb phrase that names whom the switch is on (a person) or what kind of switch it is (a ban,
// a permission) — a moderation switch, whose TTL is how long the ban lasts (adv11g item 1).
// billing:lock_invoices (the billing job's lock on invoices) has none.
std::string_view switchOwnerBefore(std::string_view key, std::string_view verbPhrase) {
    const size_t end = static_cast<size_t>(verbPhrase.data() - key.data());
    size_t i = 0;
    while (i < end) {
        size_t j = i;
        while (j < end && key[j] != ':' && key[j] != '/' && key[j] != '.') ++j;
        const std::string_view seg = key.substr(i, j - i);
        std::string lower;
        for (char ch : seg) lower += lowerAscii(ch);
        if (oneOf(lower, {"user",     "users",       "member",       "members",     "account",
                          "accounts", "customer",    "customers",    "player",      "players",
                          "profile",  "profiles",    "uid",          "person",      "people",
                          "author",   "authors",     "ban",          "bans",        "banned",
                          "perm",     "perms",       "permission",   "permissions", "mute",
                          "mutes",    "muted",       "moderation",   "mod",         "acl",
                          "acls",     "restriction", "restrictions", "sanction",    "sanctions",
                          "penalty",  "penalties",   "privilege",    "privileges",  "rights"}) ||
            seg == "用户" || seg == "会员" || seg == "账号" || seg == "账户" || seg == "封禁" ||
            seg == "权限" || seg == "禁言")
            return seg;
        i = j + 1;
    }
    return {};
}

}  // namespace

bool mayNameALock(std::string_view key) {
    key = key.substr(0, 256);
    char buf[256];
    for (size_t i = 0; i < key.size(); ++i) {
        if (static_cast<unsigned char>(key[i]) >= 0x80) return true;  // 锁, 鎖, ロック, 잠금...
        buf[i] = lowerAscii(key[i]);
    }
    const std::string_view lower(buf, key.size());
    // Every lock-like word of clueOfWord (lock, locks, mutex, lease, leader, guard, semaphore,
    // latch, permits, the other languages' and pinyin's; the compounds end in lock / mutex) and
    // the library marks of nameClues (Laravel's framework/schedule-, laravel_*).
    for (std::string_view stem :
         {"lock", "mutex", "lease", "leader", "guard", "sema", "latch", "permits", "sperre",
          "verrou", "cerrojo", "bloqueo", "trava", "suo", "framework/schedule-", "laravel"})
        if (lower.find(stem) != std::string_view::npos) return true;
    return false;
}

NameClues nameClues(std::string_view key) {
    NameClues c;
    key = key.substr(0, 256);
    std::string previous;  // the word before, lower-cased, and where it ended
    size_t previousEnd = 0;
    // Words before the first lock word that make the key a setting's or a catalog item's.
    std::string_view settingBefore, catalogBefore;
    bool lockCompound = false;
    // Words of a malkusch lock name after `lock_<setting>` (lock_timeout_cleanup): part of the
    // lock's name, so a counting word among them (timeout) does not make the key a counter.
    size_t nameRunEnd = 0;
    bool previousInId = false;
    bool deviceWordSeen = false;  // device, smart, iot...: a status after the lock word is one's
    size_t i = 0;
    while (i < key.size()) {
        const auto u = static_cast<unsigned char>(key[i]);
        if (u >= 0x80) {
            size_t j = i;
            while (j < key.size() && static_cast<unsigned char>(key[j]) >= 0x80) ++j;
            clueOfForeignRun(key.substr(i, j - i), c);
            i = j;
            continue;
        }
        if (!isAsciiAlpha(key[i])) {
            ++i;
            continue;
        }
        // A word: letters up to a separator, a digit, or a lower→upper case change (jobLock).
        size_t j = i + 1;
        while (j < key.size() && isAsciiAlpha(key[j]) &&
               !(isAsciiUpper(key[j]) && !isAsciiUpper(key[j - 1])))
            ++j;
        const std::string_view word = key.substr(i, j - i);
        // Letters inside an id that mixes them with digits (a UUID's "ff1c", a hex "90ab"): part
        // of that id, never a word that gives the lock word a context (setting, thing, catalog).
        const bool inId =
            (i > 0 && isAsciiDigit(key[i - 1])) || (j < key.size() && isAsciiDigit(key[j]));
        if (word.size() <= 24) {
            char buf[24];
            for (size_t k = 0; k < word.size(); ++k) buf[k] = lowerAscii(word[k]);
            const std::string_view lower(buf, word.size());
            // A UI string or a preference: i18n…buttons.lock = "Lock", prefs:screen_lock = on.
            if (c.uiWord.empty()) {
                std::string four;
                for (char ch : key.substr(i, 4)) four += lowerAscii(ch);
                if (four == "i18n" || four == "l10n")
                    c.uiWord = key.substr(i, 4);
                else if (oneOf(lower, {"locale", "locales", "translation", "translations",
                                       "label",  "labels",  "button",      "buttons",
                                       "prefs",  "pref",    "preference",  "preferences",
                                       "menu",   "menus",   "tooltip",     "tooltips",
                                       "icon",   "icons",   "caption",     "captions"}))
                    c.uiWord = word;
            }
            // screen_lock, caps lock, num lock, scroll lock: a key of the keyboard or a screen
            // setting, not a lock.
            // Joined to it: screen_lock, screen-lock, screenLock (not app:screen:lock).
            const bool joined = i == previousEnd ||
                                (i == previousEnd + 1 && (key[i - 1] == '_' || key[i - 1] == '-'));
            const bool deviceLock = joined && oneOf(lower, {"lock", "locks"}) &&
                                    oneOf(previous, {"screen", "caps", "num", "scroll"});
            const std::string before = previous;  // the word right before this one
            const bool beforeJoined = joined;
            const bool beforeInId = previousInId;
            previousInId = inId;
            const size_t beforeEnd = previousEnd;
            previous.assign(lower);
            previousEnd = j;
            if (deviceLock) {
                if (c.uiWord.empty()) {
                    c.uiWord = word;
                    c.uiDevice = true;
                }
                i = j;
                continue;
            }
            // yarn.lock, Gemfile.lock, /var/run/app.lock: `.lock` after a file's name is its
            // extension (a lock file, on disk); the key stores something about that file.
            if (lower == "lock" && i >= 2 && key[i - 1] == '.' &&
                (isAsciiAlpha(key[i - 2]) || isAsciiDigit(key[i - 2])) &&
                (j == key.size() || key[j] == ':' || key[j] == '/')) {
                if (c.fileName.empty()) {
                    size_t start = i - 1;
                    while (start > 0 && key[start - 1] != ':' && key[start - 1] != '/') --start;
                    c.fileName = key.substr(start, j - start);
                }
                if (c.voidedLockWord.empty()) c.voidedLockWord = word;
                i = j;
                continue;
            }
            // lock_out, lock-out, lockOut: a lockout spelled with a separator (a login lockout's
            // failure count), not a lock.
            if (oneOf(lower, {"lock", "locks"}) && j + 3 <= key.size()) {
                const bool sep = key[j] == '_' || key[j] == '-';
                const size_t o = sep ? j + 1 : j;
                std::string out;
                for (size_t k = o; k < key.size() && k < o + 4 && isAsciiAlpha(key[k]) &&
                                   !(k > o && isAsciiUpper(key[k]));
                     ++k)
                    out += lowerAscii(key[k]);
                if (out == "out" && (sep || isAsciiUpper(key[o]))) {
                    if (c.lockout.empty()) c.lockout = key.substr(i, o + 3 - i);
                    i = j;
                    continue;
                }
            }
            // `lock_<attribute>` / `lockTimeout`: the word after the joint, lower-cased.
            bool attribute = false;
            const bool joint = j < key.size() && (key[j] == '_' || key[j] == '-');
            const size_t next = joint ? j + 1 : j;
            if (next < key.size() && isAsciiAlpha(key[next]) &&
                (joint || isAsciiUpper(key[next]))) {
                size_t e = next + 1;
                while (e < key.size() && isAsciiAlpha(key[e]) && !isAsciiUpper(key[e])) ++e;
                std::string following;
                for (size_t k = next; k < e; ++k) following += lowerAscii(key[k]);
                attribute = isLockAttributeWord(following) || isLockEndWord(following);
                // perm:user:42:lock_posts, thread:42:lock_replies: `lock_<plural noun>` ending
                // its segment after other words is a verb phrase (lock posts: a permission or a
                // moderation switch), not a lock's name (adv11d item 8). A key that starts with
                // it keeps malkusch/lock's `lock_<name>`.
                if (joint && !attribute && i > 0 && c.lockWord.empty() &&
                    oneOf(lower, {"lock", "locks"}) && isPluralNoun(following) &&
                    (e == key.size() || key[e] == ':' || key[e] == '/') && c.verbPhrase.empty())
                    c.verbPhrase = key.substr(i, e - i);
                if (attribute && isIdAttributeWord(following)) c.idAttribute = true;
                if (attribute && !isCodeWord(following)) {
                    // lock_status_sync, lock-status-report, LockStateMachine: more words (not
                    // units: lock_wait_ms) make it the lock's name, not its setting.
                    while (attribute && e < key.size()) {
                        size_t b = e;
                        if (key[b] == '_' || key[b] == '-')
                            ++b;
                        else if (!isAsciiUpper(key[b]))
                            break;
                        if (b >= key.size() || !isAsciiAlpha(key[b])) break;
                        size_t f = b + 1;
                        while (f < key.size() && isAsciiAlpha(key[f]) && !isAsciiUpper(key[f])) ++f;
                        std::string more;
                        for (size_t k = b; k < f; ++k) more += lowerAscii(key[k]);
                        if (!isLockAttributeWord(more) && !isMeasureWord(more)) attribute = false;
                        e = f;
                    }
                    if (!attribute) nameRunEnd = e;
                }
            }
            if (c.lockWord.empty() && settingBefore.empty() && !inId &&
                (isSettingContextWord(lower) || isThingContextWord(lower)))
                settingBefore = word;
            // flag:lock, ab:lock_v2: a short setting word right before the lock word.
            if (c.lockWord.empty() && settingBefore.empty() && isAdjacentSettingWord(before) &&
                !beforeJoined && !beforeInId &&
                oneOf(lower, {"lock", "locks", "mutex", "lease", "leases"}) && i >= 2 &&
                key[i - 1] == ':' && beforeEnd == i - 1 && before.size() < i)
                settingBefore = key.substr(i - 1 - before.size(), before.size());
            if (c.lockWord.empty() && !inId && isCatalogWord(lower) && catalogBefore.empty())
                catalogBefore = word;
            if (!inId && isDeviceWord(lower)) deviceWordSeen = true;
            const bool hadLock = !c.lockWord.empty();
            const bool counted = c.counterWord;
            clueOfWord(word, std::string_view(buf, word.size()), c, attribute);
            if (i < nameRunEnd) c.counterWord = counted;  // lock_timeout_cleanup: a name
            if (!c.counterWord) c.counterText = {};
            // smart-lock, door_lock, SmartLock: joined to the word before it (an object's name).
            if (!hadLock && !c.lockWord.empty())
                lockCompound = i > 0 && (isAsciiAlpha(key[i - 1]) ||
                                         (i > 1 && (key[i - 1] == '-' || key[i - 1] == '_') &&
                                          isAsciiAlpha(key[i - 2])));
        }
        i = j;
    }
    // The last segment "<words>_<unit>" is a measure (a time, a duration): an integer there counts.
    const auto colon = key.rfind(':');
    const std::string_view last = colon == std::string_view::npos ? key : key.substr(colon + 1);
    if (const auto us = last.rfind('_'); us != std::string_view::npos && us + 1 < last.size()) {
        std::string unit;
        for (char ch : last.substr(us + 1)) unit += lowerAscii(ch);
        if (isMeasureWord(unit)) {
            c.counterWord = true;
            if (c.counterText.empty()) c.counterText = last.substr(us + 1);
        }
    }
    if (!c.lockWord.empty()) roundSixClues(key, last, c);
    if (!c.uiWord.empty()) {
        if (!c.uiDevice) c.uiVoidedLockWord = c.lockWord;
        c.lockWord = {};
    }
    // The lock word inside a settings / feature-flag path, or naming a thing that is described
    // (docs/client-formats.md#names): no lock.
    if (!c.lockWord.empty()) {
        const bool lockInLast = c.lockWord.data() >= last.data();
        std::string lastLower;
        for (char ch : last) lastLower += lowerAscii(ch);
        if (!settingBefore.empty()) {
            c.contextWord = settingBefore;
        } else if (!c.foreignSetting.empty() && c.foreignSetting.data() < c.lockWord.data()) {
            c.contextWord = c.foreignSetting;
        } else if (!catalogBefore.empty() && lockCompound) {
            c.contextWord = catalogBefore;
        } else if (!lockInLast && isDescriptionWord(lastLower)) {
            c.contextWord = last;
        } else if (!lockInLast && (isDeviceAttributeWord(lastLower) ||
                                   (deviceWordSeen && isDeviceStateWord(lastLower)))) {
            c.contextWord = last;
            c.deviceRecord = true;
        } else if (!lockInLast && oneOf(lastLower, {"enabled", "disabled", "enable", "disable"}) &&
                   (colon == 0 || key.rfind(':', colon - 1) == std::string_view::npos ||
                    key.data() + key.rfind(':', colon - 1) < c.lockWord.data())) {
            // lock:enabled, locks:enabled — as lock_enabled: a setting of the lock feature.
            c.lockAttribute = c.lockWord;
        }
        // lock_posts (a verb phrase) voids its lock word as a context word does.
        const bool verb = !c.verbPhrase.empty() && c.verbPhrase.data() == c.lockWord.data();
        if ((!c.contextWord.empty() || verb) && c.lockAttribute != c.lockWord)
            c.voidedLockWord = c.lockWord;
        if (!c.contextWord.empty() || verb || c.lockAttribute == c.lockWord) c.lockWord = {};
    }
    if (!c.verbPhrase.empty()) c.switchOwner = switchOwnerBefore(key, c.verbPhrase);
    // Laravel's framework locks under its cache prefix: the scheduler's withoutOverlapping
    // ("framework/schedule-<sha1>"), ShouldBeUnique ("laravel_unique_job:<job>") and the
    // WithoutOverlapping job middleware ("laravel-queue-overlap:<job>").
    if (c.lockWord.empty() && c.uiWord.empty() && c.contextWord.empty()) {
        for (std::string_view mark :
             {std::string_view("framework/schedule-"), std::string_view("laravel_unique_job:"),
              std::string_view("laravel-queue-overlap:")}) {
            if (const auto at = key.find(mark); at != std::string_view::npos) {
                c.lockWord = key.substr(at, mark.size() - 1);
                break;
            }
        }
    }
    // sidekiq-unique-jobs: "uniquejobs:<digest>:LOCKED", the last segment in capitals.
    // Under its prefix only: accounts:LOCKED is a record of locked accounts (adv11e item 4).
    if (c.lockWord.empty() && c.uiWord.empty() && last == "LOCKED" && underUniqueJobsPrefix(key))
        c.lockWord = last;
    return c;
}

void carryOver(const KeyState& previous, KeyState& fresh, bool notified) {
    // Free in between (released, then taken again with the same value): a new hold, not a re-set.
    if (previous.state == LockState::Free) {
        fresh.reset = false;
        return;
    }
    // A heartbeat counter reads as an integer lock again at each look (followBeats makes it a
    // heartbeat): the same value is the same beat.
    const bool sameFormat = previous.format == fresh.format ||
                            (previous.format == Format::HeartbeatCounter &&
                             (fresh.format == Format::Identity || fresh.format == Format::Flag));
    // Rewritten by the holder it names (a renew time, ShedLock's extend): the same hold.
    const bool renewed = sameOwner(previous, fresh);
    if ((previous.holder != fresh.holder && !renewed) ||
        (previous.number != fresh.number && !renewed) || !sameFormat) {
        fresh.reset = false;  // a new value: an acquisition or a takeover, not a re-set
        return;
    }
    // Written again with the same bytes while held (a `set` event and no release between: the
    // holder's `SET key <value> XX EX n`), or rewritten by the holder it names (a renew time,
    // ShedLock's extend): a renewal, the same hold (adv11c item 3) — its age goes on too,
    // whatever the TTL did.
    if (fresh.reset || renewed) {
        fresh.reset = false;
        fresh.lastChange = previous.lastChange;
        fresh.ageExact = previous.ageExact;
        return;
    }
    // A value anyone may write again with the same bytes (a flag, a host name): a TTL that went
    // up may be a renewal or a new acquisition, and a poll cannot tell. Its age is then known
    // only from now on (a lower bound); a token, unique per acquisition, is the same hold.
    const bool reusable = fresh.format == Format::Flag || fresh.format == Format::Identity ||
                          fresh.format == Format::JsonOwner || fresh.format == Format::HashOwner ||
                          fresh.format == Format::UserRule;
    if (reusable && !notified && previous.ttlMs >= 0 && fresh.ttlMs >= 0 &&
        fresh.ttlMs > previous.ttlNow(fresh.observedAt) + 500) {
        // Polled, a renewal and a re-acquisition look the same: the same value with its TTL
        // renewed is taken for the same hold (no new acquisition: a holder renewing every second
        // is one hold, not sixty). Its age is known only from the renewal on (a lower bound
        // either way: a re-acquisition is that young, a renewed hold older).
        fresh.lastChange = fresh.observedAt;
        fresh.ageExact = false;
        fresh.reset = false;
        return;
    }
    if (previous.lastChange < fresh.lastChange ||
        (previous.lastChange == fresh.lastChange && previous.ageExact)) {
        fresh.lastChange = previous.lastChange;
        fresh.ageExact = previous.ageExact;
        fresh.heldBeforeChangeMs = previous.heldBeforeChangeMs;
    }
}

void followBeats(const KeyState& previous, KeyState& fresh, bool written) {
    auto integerLock = [](const KeyState& k) {
        return k.kind == Kind::Lock &&
               (k.format == Format::Flag || k.format == Format::HeartbeatCounter ||
                (k.format == Format::Identity && k.shape() == ValueShape::Integer)) &&
               !k.byRule();
    };
    if (!integerLock(previous) || !integerLock(fresh)) return;
    const bool wasBeating = (previous.evidence & evidence::kBeating) != 0;
    // A hold count (seen going down as well as up: INCR on entry, DECR on exit) stays one.
    auto counting = [](const KeyState& k) {
        return k.format == Format::Identity || k.format == Format::Flag;
    };
    const bool wasCounting = counting(previous) && previous.holdCount > 0;
    // Down by a hold count's steps (from at most kMaxHoldCount, not to 1): a lower process id
    // in its place (57 → 31) is a handover, GETSET key 1 a takeover.
    constexpr long long kMaxHoldCount = 16;
    const bool wentDown =
        fresh.number < previous.number && fresh.number != 1 && previous.number <= kMaxHoldCount;
    if (counting(fresh) && (wasCounting || (wentDown && !written))) {
        // Down to something other than 1 (a takeover writes 1: GETSET key 1): a counter that
        // also goes down is no heartbeat — a reentrant lock's hold count.
        fresh.holdCount = static_cast<std::int32_t>(std::clamp(fresh.number, 1LL, 1'000'000LL));
        // One format at every count (at 1 it reads as a flag): an integer holding a hold count.
        fresh.format = Format::Identity;
        fresh.evidence = static_cast<std::uint8_t>((fresh.evidence & ~evidence::kShapeMask) |
                                                   shapeBits(ValueShape::Integer));
        if (fresh.state == LockState::Unknown) fresh.state = LockState::Held;
        return;
    }
    // A `set` notification wrote the new value: a new holder's process id (SET k 31337), a
    // handover, not a beat — except one up by exactly one (a beat written as `SET key n+1`, the
    // same story as INCR's: adv11d item 9, where notifications counted 8 acquisitions and 7
    // takeovers of one beating holder that polling called one heartbeat) and a heartbeat reset
    // to 1 (GETSET key 1, seed 001's takeover): a heartbeat still, its new holder beating from 1
    // (adv11c item 6; polled, the same read keeps it one).
    const bool upByOne = previous.state != LockState::Free &&  // not a new value after a release
                         previous.number < std::numeric_limits<long long>::max() &&
                         fresh.number == previous.number + 1;
    if (written && fresh.number != previous.number && !upByOne &&
        !(wasBeating && fresh.number == 1))
        return;
    // Polled (no notification tells a SET from an INCR): a rise larger than beats could make in
    // the time between the two reads is a new value written over the old one — a new holder's
    // process id (4242 → 31337), a handover. The beat model: one INCR at most every 10 ms (seed
    // 001 beats every second), so at most 1 + elapsed/10 ms beats between two reads.
    if (fresh.number > previous.number && fresh.observedAt >= previous.observedAt) {
        const long long elapsedMs = std::chrono::duration_cast<std::chrono::milliseconds>(
                                        fresh.observedAt - previous.observedAt)
                                        .count();
        if (fresh.number - previous.number > 1 + elapsedMs / kFastestBeatMs) return;
    }
    // Watched and unchanged for kObserveHintSeconds or more: no heartbeat with a period of a
    // second (or of a third of that time) — a process id, stuck without a TTL.
    if (!wasBeating && fresh.number == previous.number && fresh.state == LockState::Unknown &&
        fresh.format == Format::Identity &&
        fresh.observedAt - fresh.lastChange >= std::chrono::seconds(kObserveHintSeconds)) {
        fresh.state = LockState::StuckNoTtl;
        return;
    }
    // Only going up makes a heartbeat: another integer in its place (a new holder's process id)
    // is a handover.
    if (!wasBeating && fresh.number <= previous.number) return;
    if (fresh.number > previous.number && wasBeating && fresh.lastChange > previous.lastChange) {
        const auto beats = fresh.number - previous.number;
        const auto sample = std::chrono::duration_cast<std::chrono::milliseconds>(
                                fresh.lastChange - previous.lastChange)
                                .count() /
                            beats;
        // Smoothed: one late inspection must not halve or double the period.
        const long long period =
            previous.periodMs > 0 ? (previous.periodMs * 3 + sample) / 4 : sample;
        fresh.periodMs = static_cast<std::int32_t>(std::clamp(period, 1LL, 86'400'000LL));
    } else {
        fresh.periodMs = previous.periodMs;
    }
    // A beat of the same hold: the hold's age goes on from the previous look (the beat moves
    // lastChange, from which staleness counts). Exact only if the hold's start was seen.
    if (fresh.number > previous.number && fresh.lastChange >= previous.lastChange) {
        const long long sinceLast = std::chrono::duration_cast<std::chrono::milliseconds>(
                                        fresh.lastChange - previous.lastChange)
                                        .count();
        fresh.heldBeforeChangeMs = static_cast<std::int32_t>(
            std::min<long long>(previous.heldBeforeChangeMs + sinceLast, 2'000'000'000));
        fresh.ageExact = previous.ageExact;
    }
    // Went up (a beat), or down (taken over: GETSET key 1): a heartbeat, living by its beat.
    fresh.format = Format::HeartbeatCounter;
    fresh.evidence = static_cast<std::uint8_t>((fresh.evidence & ~evidence::kShapeMask) |
                                               shapeBits(ValueShape::Integer) | evidence::kBeating);
    if (fresh.state == LockState::StuckNoTtl || fresh.state == LockState::Unknown)
        fresh.state = LockState::Held;
}

namespace {
// Facts of the last observation: time does not change them.
bool isFact(LockState s) {
    return s == LockState::StuckNoTtl || s == LockState::Unknown || s == LockState::Orphaned ||
           s == LockState::Split || s == LockState::Free;
}
// Deadlines further than this are never (and stay clear of time_point overflow).
constexpr long long kNeverMs = 100LL * 365 * 86'400'000;
}  // namespace

std::optional<TimedState> timedState(const KeyState& r, Steady::time_point now, long long wallNowMs,
                                     std::chrono::milliseconds expiringSoon) {
    using std::chrono::milliseconds;
    if (r.kind != Kind::Lock || isFact(r.state)) return std::nullopt;
    constexpr Steady::duration kTick{1};  // "later than": the next tick of the clock
    if (r.format == Format::Heartbeat) {
        // Stale after one and a half beat periods without a beat.
        // In 64 bits: a period written by the client can be near INT32_MAX (fuzz_classifier).
        if (r.periodMs <= 0) return std::nullopt;
        return TimedState{LockState::HeartbeatStale,
                          r.lastChange + milliseconds(r.periodMs) * 3 / 2 + kTick};
    }
    if (r.format == Format::HeartbeatCounter) {
        // Stale after 3 missed beats; before a period is measured, after a minute unchanged
        // (seed 001's waiters take over after 6 reads 10 s apart).
        const auto window =
            r.periodMs > 0 ? milliseconds(r.periodMs) * 3 : milliseconds(kUnmeasuredBeatWindowMs);
        return TimedState{LockState::HeartbeatStale, r.lastChange + window + kTick};
    }
    // A time in the value is the lock's expiry only without a TTL (seed 000's protocol). With
    // one, the TTL rules below decide: a past time there is when it was taken (Go's
    // time.Now().Unix() with EX), and no waiter takes a live key over (adv11d item 5).
    if (((r.format == Format::SetnxGetset || r.format == Format::ExpiryTimestamp ||
          r.format == Format::NodeRedisLock) &&
         r.ttlMs < 0) ||
        (r.format == Format::JsonOwner && r.number > 0 && r.ttlMs == -1)) {
        // The stored expiry (wall clock, ms) is not in the future.
        if (r.number <= wallNowMs) return TimedState{LockState::ExpiredTimestamp, now};
        if (r.number - wallNowMs > kNeverMs) return std::nullopt;
        return TimedState{LockState::ExpiredTimestamp, now + milliseconds(r.number - wallNowMs)};
    }
    // A lease is `expiring` once KeyState::ttlNow() (whole ms elapsed since observedAt, cut
    // toward zero) is below expiringSoon: once more than ttlMs - expiringSoon ms have passed.
    if (r.ttlMs < 0 || expiringSoon.count() <= 0) return std::nullopt;
    const long long k = r.ttlMs - expiringSoon.count();
    if (k > kNeverMs) return std::nullopt;
    return TimedState{LockState::Expiring, k >= 0 ? r.observedAt + milliseconds(k + 1)
                                                  : r.observedAt + milliseconds(k) + kTick};
}

bool refreshState(KeyState& r, Steady::time_point now, long long wallNowMs,
                  std::chrono::milliseconds expiringSoon) {
    if (r.kind != Kind::Lock || isFact(r.state)) return false;
    LockState s = LockState::Held;
    if (const auto t = timedState(r, now, wallNowMs, expiringSoon); t && now >= t->from)
        s = t->state;
    if (s == r.state) return false;
    r.state = s;
    return true;
}

// Redisson's read-write lock keeps one lease key per read hold:
// "{name}:<uuid>:<threadId>:rwlock_timeout:<n>" (or "name:<uuid>:..." when the name carries a
// hash tag already).
bool isRedissonRwTimeoutKey(std::string_view key) {
    constexpr std::string_view kMarker = ":rwlock_timeout:";
    const auto at = key.rfind(kMarker);
    if (at == std::string_view::npos) return false;
    const std::string_view count = key.substr(at + kMarker.size());
    if (count.empty() || !std::all_of(count.begin(), count.end(), [](char c) {
            return std::isdigit(static_cast<unsigned char>(c));
        }))
        return false;
    // Before the marker: "<lock name>:<uuid>:<threadId>", the uuid 36 characters long.
    const std::string_view head = key.substr(0, at);
    const auto tidColon = head.rfind(':');
    if (tidColon == std::string_view::npos || tidColon < 37 || head[tidColon - 37] != ':')
        return false;
    return isRedissonField(head.substr(tidColon - 36));
}

bool isCompanionKey(std::string_view key) {
    return startsWith(key, "lockscope_fence:{") || startsWith(key, "redisson_lock_token:") ||
           startsWith(key, "redisson_lock_queue:") || startsWith(key, "redisson_lock_timeout:") ||
           startsWith(key, "redisson_unlock_latch:") || startsWith(key, "lock-signal:") ||
           isRedissonRwTimeoutKey(key) || isPrimitiveCompanionKey(key);
}

std::vector<std::string> companionKeys(const Observation& obs) {
    if (obs.type == "hash" && !obs.fields.empty() && isRedissonField(obs.fields.front().first))
        return {"redisson_lock_token:" + braced(obs.key), "redisson_lock_queue:" + braced(obs.key)};
    if (obs.type == "string" && startsWith(obs.value, "lockscope:fenced:"))
        return {"lockscope_fence:{" + obs.key + "}"};
    return {};
}

std::optional<std::string> lockscopeTagOfClientName(std::string_view name) {
    // lockscope:<host>:<pid>:<tag>
    if (!startsWith(name, locks::kTokenPrefix)) return std::nullopt;
    auto colon = name.rfind(':');
    if (colon == std::string_view::npos) return std::nullopt;
    std::string_view tag = name.substr(colon + 1);
    if (tag.size() != 8 || !isLowerHex(tag)) return std::nullopt;
    if (std::count(name.begin(), name.end(), ':') != 3) return std::nullopt;
    return std::string(tag);
}

std::unordered_map<std::string, std::string> lockscopeClientsFromClientList(std::string_view text) {
    std::unordered_map<std::string, std::string> out;
    size_t pos = 0;
    while (pos < text.size()) {
        auto eol = text.find('\n', pos);
        std::string_view line =
            text.substr(pos, eol == std::string_view::npos ? text.npos : eol - pos);
        pos = eol == std::string_view::npos ? text.size() : eol + 1;
        auto n = line.find(" name=");
        if (n == std::string_view::npos) continue;
        std::string_view name = line.substr(n + 6);
        name = name.substr(0, name.find(' '));
        if (auto tag = lockscopeTagOfClientName(name)) out.emplace(*tag, std::string(name));
    }
    return out;
}

namespace {

// `ruleSaysLock`: a --lock-pattern rule matches the key, which stands for a lock-like name.
// A name whose lock word is a device's record, a UI string, an event's time or a counter's
// (lock:device:42:serial, lock:i18n:title, lock.created_at, lock.count): an exact library layout
// (python-redis-lock's lock:<name>, node redis-lock's lock.<name>) does not override what it
// says.
// node redis-lock's dotted names are read as their colon form (lock.device.42.battery as
// lock:device:42:battery: adv11i item 3); a credential's word after an id (lock:device:42:session,
// lock:door:42:access_code: a token kept about a thing, adv11i item 2) is one too. Such a key is
// judged as a guess at most — never acted on without the operator's word.
bool nameIsAboutSomethingElse(std::string_view key) {
    std::string colons(key.substr(0, 256));
    if (startsWith(colons, "lock.")) std::replace(colons.begin(), colons.end(), '.', ':');
    const NameClues n = nameClues(colons);
    if (n.deviceRecord || !n.uiWord.empty() || !n.eventWord.empty() || n.counterWord ||
        !n.lockAttribute.empty() || !n.lockout.empty() || !n.contextWord.empty() ||
        !n.settingAfter.empty() || n.lockWord.empty())
        return true;
    // The last segment a credential's or a time's, after at least one more segment.
    const auto colon = colons.rfind(':');
    if (colon == std::string::npos || colons.find(':') == colon) return false;
    std::string last;
    for (char ch : colons.substr(colon + 1)) last += lowerAscii(ch);
    return oneOf(last, {"session",       "sessions",  "token",      "tokens",      "access_token",
                        "refresh_token", "otp",       "code",       "access_code", "passcode",
                        "password",      "pin",       "secret",     "credential",  "credentials",
                        "api_key",       "apikey",    "key",        "until",       "locked_until",
                        "lockout_until", "ban_until", "expires_at", "battery",     "last_seen"});
}

KeyRecord classifyObservation(Observation obs, const ClassifyContext& ctx, bool ruleSaysLock) {
    KeyRecord r;
    r.key = std::move(obs.key);
    r.ttlMs = obs.pttlMs;
    r.observedAt = ctx.now;
    // Not read (CLUSTERDOWN, BUSY, LOADING, NOPERM...): nothing is known now — which is not "gone".
    if (obs.type == "unreadable") {
        r.stale = stalenessOf(obs.error);
        return r;
    }
    if (obs.type == "none" || obs.pttlMs == -2) {
        r.state = LockState::Free;  // gone: the engine turns a followed lock into `free`
        return r;
    }
    if (isCompanionKey(r.key)) {
        r.kind = Kind::Companion;
        return r;
    }

    if (obs.type == "hash") {
        auto field = [&](std::string_view name) -> const std::string* {
            for (const auto& [f, v] : obs.fields)
                if (f == name) return &v;
            return nullptr;
        };
        // heartbeat: {owner, beat, period_ms}
        if (const auto* owner = field("owner"); owner && field("beat") && field("period_ms")) {
            r.format = Format::Heartbeat;
            r.holder = *owner;
            r.number = parseInteger(*field("beat")).value_or(-1);
            r.periodMs = static_cast<std::int32_t>(parseInteger(*field("period_ms")).value_or(0));
            trackChange(r, obs, ctx);
            auto info = locks::parseTokenView(*owner);
            finishLock(r, ctx, info ? std::optional<std::string>(info->tag) : std::nullopt, true);
            return r;
        }
        // versioned counter: {value, version}
        if (obs.fields.size() == 2 && field("value") && field("version")) {
            if (auto v = parseInteger(*field("value"))) {
                r.kind = Kind::Counter;
                r.format = Format::VersionedCounter;
                r.number = *v;
                trackChange(r, obs, ctx);
                return r;
            }
        }
        // Redisson-style lock hash: one holder field (`<uuid>:<thread id>`) counting its holds —
        // several only in a read-write lock (with `mode`). A hash of several such fields and no
        // mode (a cart keyed by `<uuid>:<item>`) is no Redisson lock (adv11h item 3).
        bool mode = false, any = false;
        std::vector<std::string> holders;
        long long holds = 0;
        for (const auto& [f, v] : obs.fields) {
            if (f == "mode") {
                mode = true;
                continue;
            }
            if (!isRedissonField(f)) {
                any = false;
                break;
            }
            const auto count = parseInteger(v);
            if (!count || *count < 1) {
                any = false;
                break;
            }
            any = true;
            holders.push_back(f);
            holds += *count;
        }
        if (any && !mode && holders.size() != 1) any = false;
        if (any) {
            // Sorted, so the holder string is stable and what force-release compares against.
            std::sort(holders.begin(), holders.end());
            for (const auto& h : holders) r.holder += (r.holder.empty() ? "" : ",") + h;
            r.holdCount = static_cast<std::int32_t>(holds);
            trackChange(r, obs, ctx);  // before the tag's grace, which asks the lock's age
            std::optional<std::string> tag;
            std::string firstTag = r.holder.substr(0, 8);
            if (ctx.lockscopeClientsByTag && ctx.lockscopeClientsByTag->count(firstTag))
                tag = firstTag;  // a connected LockScope `reentrant` client owns it
            else if (ctx.lockscopeTagSeenBefore && ctx.lockscopeTagSeenBefore(r, firstTag))
                tag = firstTag;  // one seen connected, perhaps following a failover
            if (mode)
                r.format = tag ? Format::ReadWrite : Format::RedissonRwLock;
            else if (ctx.companions.redissonQueue)
                r.format = tag ? Format::Fair : Format::RedissonFairLock;
            else if (ctx.companions.redissonToken)
                r.format = Format::RedissonFencedLock;
            else
                r.format = tag ? Format::Reentrant : Format::RedissonLock;
            if (ctx.companions.redissonToken) r.number = *ctx.companions.redissonToken;
            // A read-write lock's writers waiting (a fair lock's queue is read by the views that
            // show it: monitor/fair_queue.h).
            if (mode)
                r.queued = static_cast<std::int16_t>(std::min<long long>(
                    ctx.companions.primitive.writersWaiting.value_or(0), 32767));
            finishLock(r, ctx, tag, false);
            return r;
        }
        // sidekiq-unique-jobs (v7+, its lock.lua): `<digest>:LOCKED` = job id → the time it was
        // locked (HSET locked job_id current_time: epoch seconds, a fraction as Lua prints it).
        // Its holders are the job ids; no TTL unless the job sets lock_ttl.
        if (const auto locked = sidekiqLocked(r.key, obs, ruleSaysLock)) {
            r.format = Format::SidekiqUniqueJobs;
            for (const auto& jid : locked->jids) r.holder += (r.holder.empty() ? "" : ",") + jid;
            r.holdCount = static_cast<std::int32_t>(locked->jids.size());
            r.number = locked->firstMs;
            trackChange(r, obs, ctx);
            finishLock(r, ctx, std::nullopt, true);
            return r;
        }
        // A hand-rolled hash lock under a lock-like name (or a rule): owner-like fields.
        const NameClues name = mayNameALock(r.key) ? nameClues(r.key) : NameClues{};
        if (obs.truncated || (name.lockWord.empty() && !ruleSaysLock)) return r;
        auto owner = hashOwner(obs.fields);
        if (!owner) return r;  // some other hash
        r.format = Format::HashOwner;
        r.holder = std::move(owner->value);
        r.number = owner->pid > 0 ? owner->pid : 0;
        r.evidence = static_cast<std::uint8_t>(evidence::kGuess | shapeBits(ValueShape::HashOwner) |
                                               (name.lockWord.empty() ? 0 : evidence::kLockName));
        trackChange(r, obs, ctx);
        finishLock(r, ctx, std::nullopt, false);
        return r;
    }

    if (auto sym = symfonyHold(obs, ctx.wallNowMs)) {
        // Holders whose leases all ran out: Symfony's next acquire clears them (not held).
        if (sym->holders.empty()) return r;
        // Symfony's key is the resource name the application chose ("pdf-creation"): the members'
        // shape alone — random tokens scored by their expiry in ms — is also how refresh or
        // remember-me tokens are kept (user:42:refresh_tokens). Evidence beyond it: the
        // `__write__` member Symfony's exclusive save() always writes beside the token, a lock
        // word in the name, or a rule. A shared (read) lock under a plain name needs a rule.
        if (!sym->marker && !ruleSaysLock &&
            (!mayNameALock(r.key) || nameClues(r.key).lockWord.empty()))
            return r;
        r.format = Format::SymfonyLock;
        // Sorted and joined with ',' as a read-write lock's readers: what force-release compares.
        for (const auto& h : sym->holders) r.holder += (r.holder.empty() ? "" : ",") + h;
        r.holdCount = static_cast<std::int32_t>(sym->holders.size());
        r.number = sym->write ? 1 : 0;
        trackChange(r, obs, ctx);
        finishLock(r, ctx, std::nullopt, false);
        return r;
    }
    if (obs.type != "string") return r;
    // Redis answers OBJECT IDLETIME for a shared integer (0-9999) with the shared object's idle
    // time, not this key's: no evidence of when it was written.
    if (const auto n = parseInteger(obs.value); n && *n >= 0 && *n < 10000) obs.idleSeconds.reset();
    std::string& v = obs.value;  // moved into the holder once classified
    if (obs.truncated) {
        // A value longer than the preview: a lock only when its start says so — a JSON record
        // with an owner-like field (a holder with metadata) under a lock-like name. Its holder is
        // the preview, cut at a character boundary and flagged: force-release compares on those
        // bytes and the total length (actions/lock_actions.cpp).
        const NameClues name = mayNameALock(r.key) ? nameClues(r.key) : NameClues{};
        if (name.lockWord.empty() && !ruleSaysLock) return r;
        cutAtCharacter(v);
        const std::string_view t = trimSpace(v);
        auto owner = jsonOwner(t, true);
        if (!owner || (owner->value.empty() && owner->host.empty())) return r;
        if (owner->released) return r;  // {"released":true}: nobody holds it
        r.format = Format::JsonOwner;
        r.evidence = static_cast<std::uint8_t>(evidence::kGuess | shapeBits(ValueShape::Json) |
                                               (name.lockWord.empty() ? 0 : evidence::kLockName));
        r.holder = std::move(v);
        r.holderCut = true;
        r.number = obs.length;  // the whole value's length, compared with the preview
        trackChange(r, obs, ctx);
        finishLock(r, ctx, std::nullopt, false);
        return r;
    }

    if (auto info = locks::parseTokenView(v)) {
        r.format = formatOfStrategy(info->strategy).value_or(Format::Token);
        std::string tag(info->tag);  // views into v, which moves next
        r.holder = std::move(v);
        if (r.format == Format::Fenced && ctx.companions.lockscopeFence)
            r.number = *ctx.companions.lockscopeFence;
        trackChange(r, obs, ctx);
        finishLock(r, ctx, std::move(tag), false);
        return r;
    }
    // Its layout is exact, but the name's words still count: `lock:device:42:serial` (a device's
    // record), `lock:i18n:title` (a UI string) hold no python-redis-lock token (adv11h item 4).
    if (startsWith(r.key, "lock:") && isBase64Of18Bytes(v) && !nameIsAboutSomethingElse(r.key)) {
        r.format = Format::PythonRedisLock;
        r.holder = std::move(v);
        trackChange(r, obs, ctx);
        finishLock(r, ctx, std::nullopt, false);
        return r;
    }
    // Semaphores and latches: an integer with evidence beside it (primitive_formats.h).
    if (auto m = matchPrimitive(obs, ctx.companions.primitive, ctx.wallNowMs,
                                ctx.lockscopeClientsByTag)) {
        r.format = m->format;
        r.holder = std::move(m->holder);
        r.number = m->number;
        r.holdCount = m->holdCount;
        r.queued = m->queued;
        trackChange(r, obs, ctx);
        finishLock(r, ctx, m->ownerTag, true);
        return r;
    }
    // Job and cache libraries whose key prefix and value are fixed by the library
    // (docs/client-formats.md#other-clients).
    if (auto f = libraryStringFormat(r.key, trimSpace(v), obs.pttlMs)) {
        r.format = *f;
        r.holder = std::move(v);
        trackChange(r, obs, ctx);
        finishLock(r, ctx, std::nullopt, false);
        return r;
    }
    // After the exact layouts above (the common case stays cheap): a lock-like name or a rule.
    // Without one, a value's shape alone is no evidence — a 32-hex md5, an epoch-ms
    // "created_ms", a JSON document look the same as a lock's value.
    NameClues name = mayNameALock(r.key) ? nameClues(r.key) : NameClues{};
    // `lock_state`, `lock_mode` holding a generated token: a setting holds no token, a lock
    // named so does (malkusch/lock names every lock `lock_<name>`).
    if (name.lockWord.empty() && !name.lockAttribute.empty() && !name.idAttribute &&
        name.uiWord.empty() && name.contextWord.empty() && isHolderToken(trimSpace(v)))
        name.lockWord = name.lockAttribute;
    // A lock word near a setting, catalog, thing or file word (gitlab:exclusive_lease:4,
    // lock:product:42:stock, config:reload:lock, myapp.scheduler.lock) names a lock after all
    // when the value is a generated token with a TTL: what a lock client writes (GitLab's
    // ExclusiveLease: SET key <uuid> NX EX), never a setting's, a product's or a file's value.
    // Those words void only weak evidence (a flag, a plain word, a number). Under a file's name
    // a hex digest (an md5 of yarn.lock) is the file's hash, not a token.
    if (name.lockWord.empty() && !name.voidedLockWord.empty() && obs.pttlMs >= 0 &&
        isGeneratedToken(trimSpace(v), !name.fileName.empty()))
        name.lockWord = name.voidedLockWord;
    // Under a UI string's or a translation's word (i18n, 翻译) only a generated token with a TTL
    // makes the lock word one: a translation job's lock (翻译:任务:锁 = a UUID EX 30), never a
    // cached string (i18n:zh:lock = 锁 EX 3600).
    if (name.lockWord.empty() && !name.uiVoidedLockWord.empty() && obs.pttlMs >= 0 &&
        isGeneratedToken(trimSpace(v), false))
        name.lockWord = name.uiVoidedLockWord;
    // A TTL is a lease's evidence too: a setting, a described thing, a file's record or a
    // permission switch (lock posts) has none. Under those words, a flag (1), a holder's name (a
    // host, host:pid, worker-3) or a time with a TTL is the SETNX + EXPIRE recipe
    // (lock:stock = 1 EX 30, cron.lock = web-01 EX 300, billing:lock_invoices = 1 EX 300;
    // adv11e item 5). Not a product's record (product:smart-lock:stock = 1: one in stock) nor a
    // device's (lock:device:42:battery = 87), and without a TTL nothing changes.
    // A switch on a person (user:42:lock_comments = 1 EX 86400: a day's ban) stays no lock.
    if (name.lockWord.empty() && !name.voidedLockWord.empty() && obs.pttlMs >= 0 &&
        !name.deviceRecord && !isCatalogContext(name) && name.switchOwner.empty() &&
        isLeaseValue(trimSpace(v), !name.fileName.empty()))
        name.lockWord = name.voidedLockWord;
    // cron:lock:last_run, lock:created = a time: when something happened, not an expiry
    // (issue 11 round 6 item 1).
    // With a TTL the time is when the lock was taken (the TTL is the lease): a lock (adv11g 5).
    if (!ruleSaysLock && !name.lockWord.empty() && !name.eventWord.empty() && obs.pttlMs < 0 &&
        isTimeValue(trimSpace(v)))
        return r;
    const bool lockName = !name.lockWord.empty() || ruleSaysLock;
    // "lease", "guard", "leader" without a TTL: a contract, a post or a team's leader as often
    // as a lock (team:42:leader = alice) — only a process's or a machine's name, or a token,
    // makes it one (an elected leader's key without a TTL is stuck, and shown so).
    const bool leaseNoTtl = !ruleSaysLock && isLeaseWord(name.lockWord) && obs.pttlMs == -1;
    // redis-py and node-redlock take the caller's key as it is: their layout is the value
    // under a lock-like name (or a rule).
    if (lockName && v.size() == 32 && isLowerHex(v)) {
        const bool uuid1 =
            v[12] == '1' && (v[16] == '8' || v[16] == '9' || v[16] == 'a' || v[16] == 'b');
        r.format = uuid1 ? Format::RedisPy : Format::NodeRedlock;
        r.holder = std::move(v);
        trackChange(r, obs, ctx);
        finishLock(r, ctx, std::nullopt, false);
        return r;
    }
    if (isShedLockValue(v)) {
        r.format = Format::ShedLock;
        r.holder = std::move(v);
        trackChange(r, obs, ctx);
        finishLock(r, ctx, std::nullopt, false);
        return r;
    }
    // A "time" more than a year ahead of the monitor's clock is no lock's expiry: a Snowflake id
    // (Twitter's, the usual Java request id) reads as one in 2037 (adv11d item 5).
    auto farAhead = [&](long long ms) {
        constexpr long long kYearMs = 366LL * 86'400'000;
        return ctx.wallNowMs > 0 && ms - ctx.wallNowMs > kYearMs;
    };
    if (auto n = parseInteger(v)) {
        // node redis-lock: "lock.<name>" holding its expiry in epoch ms.
        // Not `lock.created_at`, `lock.count`: when something happened, a counter (adv11h 4).
        if (startsWith(r.key, "lock.") && *n >= kEpochMsMin && *n <= kEpochMsMax && !farAhead(*n) &&
            !nameIsAboutSomethingElse(r.key)) {
            r.format = Format::NodeRedisLock;
            r.holder = std::move(v);
            r.number = *n;
            trackChange(r, obs, ctx);
            finishLock(r, ctx, std::nullopt, true);
            return r;
        }
        // A timestamp lock keeps its expiry in the value; a TTL on the key (a client that sets
        // one as a safety net, or an extend that ran PEXPIRE) does not make it a counter.
        if (lockName && !name.counterWord && *n >= kEpochMsMin && *n <= kEpochMsMax &&
            !farAhead(*n)) {
            // Acted on as setnx-getset does (the expiry in the value), but told by the name and
            // the value's range alone: evidence, not a known layout.
            r.format = Format::SetnxGetset;
            r.holder = std::move(v);
            r.number = *n;
            r.evidence =
                static_cast<std::uint8_t>(evidence::kGuess | shapeBits(ValueShape::EpochMillis) |
                                          (name.lockWord.empty() ? 0 : evidence::kLockName));
            trackChange(r, obs, ctx);
            finishLock(r, ctx, std::nullopt, true);
            return r;
        }
        // A time in epoch µs or ns (Go's UnixMicro / UnixNano) under a lock-like name: read as
        // its expiry, like one in seconds or ms — not a process id or a heartbeat.
        constexpr long long kEpochUsMin = kEpochMsMin * 1000, kEpochUsMax = kEpochMsMax * 1000;
        constexpr long long kEpochNsMin = kEpochUsMin * 1000,
                            kEpochNsMax = 4'102'444'800'000'000'000;
        if (!name.lockWord.empty() && !name.countWord && !name.counterWord &&
            ((*n >= kEpochUsMin && *n <= kEpochUsMax) ||
             (*n >= kEpochNsMin && *n <= kEpochNsMax)) &&
            !farAhead(*n <= kEpochUsMax ? *n / 1000 : *n / 1'000'000)) {
            r.format = Format::ExpiryTimestamp;
            r.number = *n <= kEpochUsMax ? *n / 1000 : *n / 1'000'000;
            r.evidence = static_cast<std::uint8_t>(evidence::kGuess | evidence::kLockName |
                                                   shapeBits(ValueShape::Time));
            r.holder = std::move(v);
            trackChange(r, obs, ctx);
            finishLock(r, ctx, std::nullopt, true);
            return r;
        }
        // Under a lock-like name an integer is a lock (a flag, an expiry in seconds, a
        // process id or a beat counter) — unless the name says it counts (a semaphore's
        // permits, "lock:count"). 0 is a released flag: a counter, not a lock.
        if (!name.lockWord.empty() && !name.countWord && !name.counterWord && *n >= 1 &&
            !leaseNoTtl) {
            r.evidence = evidence::kGuess | evidence::kLockName;
            bool noTtlByDesign = true;
            if (*n >= kEpochSecondsMin && *n <= kEpochSecondsMax && !farAhead(*n * 1000)) {
                r.format = Format::ExpiryTimestamp;
                r.number = *n * 1000;
                r.evidence |= shapeBits(ValueShape::EpochSeconds);
            } else if (*n == 1) {
                r.format = Format::Flag;  // SETNX key 1: without its EXPIRE it is stuck
                r.number = 1;
                r.evidence |= shapeBits(ValueShape::Flag);
                noTtlByDesign = false;
            } else {
                // A process id, or a heartbeat counter: only seeing it go up tells
                // (followBeats). Until then no owner is read from it, and without a TTL it is
                // stuck like the flag it started as.
                r.format = Format::Identity;
                r.number = *n;
                r.evidence |= shapeBits(ValueShape::Integer);
                noTtlByDesign = false;
            }
            r.holder = std::move(v);
            trackChange(r, obs, ctx);
            finishLock(r, ctx, std::nullopt, noTtlByDesign);
            // Not stuck, not held: a process id without a TTL or a beating counter (issue 11
            // round 6: a live heartbeat was called stuck). Seen going up, it is held.
            if (r.format == Format::Identity && r.state == LockState::StuckNoTtl)
                r.state = LockState::Unknown;
            return r;
        }
        // guild:12:leader = 123456 (a user's id), no TTL: no lock, and no counter either.
        if (leaseNoTtl && *n >= 1 && !name.countWord && !name.counterWord) return r;
        r.kind = Kind::Counter;
        r.format = Format::Counter;
        r.number = *n;
        trackChange(r, obs, ctx);
        return r;
    }
    // Judged by evidence: the value's shape under a lock-like name, and the TTL. A value's shape
    // alone (a JSON document with an owner_id, a session token with a TTL) is not listed: the
    // user's rule can make it a lock (inspect-key says so).
    if (!lockName || isReleasedWord(v)) return r;
    // A pickled / Marshal'd true or short string with a TTL: django-redis' cache.add(lock_id,
    // token, timeout) (Celery's one-at-a-time recipe), Rails' cache lock. The holder stays the
    // stored bytes (what force-release compares); the string inside is its name (holderParts).
    if (const auto ser = serializedScalar(v)) {
        if (ser->kind == SerializedScalar::False || (obs.pttlMs < 0 && !ruleSaysLock)) return r;
        r.format = ser->kind == SerializedScalar::True ? Format::Flag
                   : looksRandom(ser->text) || isUuid(ser->text) ||
                           (ser->text.size() == 32 && isLowerHex(ser->text))
                       ? Format::Token
                       : Format::Identity;
        if (ser->kind == SerializedScalar::Text && !isPlainText(ser->text)) return r;
        r.number = ser->kind == SerializedScalar::True ? 1 : 0;
        r.evidence =
            static_cast<std::uint8_t>(evidence::kGuess | shapeBits(ValueShape::Serialized) |
                                      (name.lockWord.empty() ? 0 : evidence::kLockName));
        r.holder = std::move(v);
        trackChange(r, obs, ctx);
        finishLock(r, ctx, std::nullopt, false);
        return r;
    }
    // Shapes are judged on the value without surrounding whitespace (a trailing newline).
    const std::string_view t = trimSpace(v);
    auto guessed = [&](Format f, ValueShape shape, bool noTtlByDesign = false) {
        r.format = f;
        r.evidence = static_cast<std::uint8_t>(evidence::kGuess | shapeBits(shape) |
                                               (name.lockWord.empty() ? 0 : evidence::kLockName));
        if (r.holder.empty()) r.holder = std::move(v);
        trackChange(r, obs, ctx);
        finishLock(r, ctx, std::nullopt, noTtlByDesign);
        return r;
    };
    if (auto ms = epochSecondsWithFraction(t); ms && !farAhead(*ms)) {
        r.number = *ms;
        return guessed(Format::ExpiryTimestamp, ValueShape::EpochSeconds, true);
    }
    // "2026-12-07T03:00:00Z" (RFC 3339), "2026-12-07T03:00:00.123456" (Python's isoformat()):
    // a time, not a random token. With a TTL the TTL ends the lock (timedState); without one a
    // time ahead is its expiry, a time past is when it was taken: nothing ends it, stuck
    // (adv11d item 5: no protocol keeps its expiry as a bare ISO string and no TTL).
    if (auto ms = isoInstantMs(t)) {
        r.number = *ms;
        return guessed(Format::ExpiryTimestamp, ValueShape::Time,
                       obs.pttlMs >= 0 || *ms > ctx.wallNowMs);
    }
    // "30s", "5 min": a duration is a setting's value (lock:ttl = 30s), not a holder.
    if (isDuration(t)) return r;
    // 🔒 (emoji:lock): a symbol, not a holder's name (adv11d item 8).
    if (!ruleSaysLock && isPictograph(t)) return r;
    // topic:78:lock = moderator-bob, no TTL: who locked a forum topic, not a process holding a
    // lock (adv11d item 8). With a TTL (an edit lock held by user:42) it stays a lock.
    if (!ruleSaysLock && obs.pttlMs == -1 && isPersonReference(t)) return r;
    if (leaseNoTtl && !isMachineIdentity(t)) {
        // {"customer":"Bob","owner":"ACME Leasing"}: a contract's record, not a holder's.
        const auto owner = jsonOwner(t);
        if (!owner || !(isMachineIdentity(owner->value) || isHostName(owner->host))) return r;
    }
    if (auto owner = jsonOwner(t)) {
        // A record that says it is released ({"owner":"web-3","released":true},
        // {"locked":false,...}) is not held, like the plain value `released` or `false`.
        if (owner->released) return r;
        // {"locked_by":"admin","reason":"fraud"} without a TTL or an expiry: who locked an
        // account, as topic:78:lock = moderator-bob (issue 11 round 6 item 2).
        if (!ruleSaysLock && obs.pttlMs == -1 && owner->expiresMs <= 0 &&
            isPersonOwner(owner->value))
            return r;
        // The holder is the whole value (what a compare-and-delete compares); the owner is shown
        // by the JSON (`owner`) and the detail pane. An expiry inside the value ({"expires_at":
        // ...}) is its lease without a TTL: past it, the next client takes it over, as with an
        // expiry timestamp — not stuck (r.number: the expiry, ms).
        r.number = owner->expiresMs > 0 ? owner->expiresMs : 0;
        return guessed(Format::JsonOwner, ValueShape::Json, owner->expiresMs > 0);
    }
    if (isFlagWord(t)) return guessed(Format::Flag, ValueShape::Flag);
    // "1.5", "-0.25", "3e2", "+1", "0x10", "NaN": a number is no host or worker name; like a
    // flag, it only says taken.
    if (numberSpelling(t)) {
        // 49.99, 0.75: a decimal fraction is a price or a ratio, not a lock taken
        // (docs/client-formats.md#names).
        if (isDecimalFraction(t)) return r;
        return guessed(Format::Flag, ValueShape::Number);
    }
    if (isHostName(t) || isIpAddress(t) || (isIdentity(t) && hasProcessIdentity(t)))
        return guessed(Format::Identity, ValueShape::Identity);
    if (auto ip = ipAndNumber(t); ip && isIpAddress(ip->first))
        return guessed(Format::Identity, ValueShape::Identity);
    if (isProcessNonce(t)) return guessed(Format::Identity, ValueShape::ProcessNonce);
    if (looksRandom(t))
        return guessed(Format::Token, isUuid(t) ? ValueShape::Uuid : ValueShape::Token);
    // Any other short text: taken for the holder's name. One word (worker-3, 张三的电脑,
    // CORP\svc-deploy) is called a host or process name; text with spaces or markup ("Please
    // wait", a date, HTML) is not (issue 11 round 6).
    if (isHolderText(t) && !isMarkup(t)) {
        const bool words = t.find_first_of(" \t<>\"'") != std::string_view::npos;
        // "lease" names a contract as often as a lock: a person's name under it
        // (lease:apartment:7 = "John Smith") is no lock holder.
        if (words && isLeaseWord(name.lockWord)) return r;
        return guessed(Format::Identity, words ? ValueShape::Text : ValueShape::Identity);
    }
    return r;
}

}  // namespace

std::chrono::milliseconds orphanWindow(long long ttlMs, std::chrono::milliseconds margin) {
    return std::chrono::milliseconds(ttlMs > 0 ? ttlMs / 2 : 30000) + margin;
}

KeyRecord classify(Observation obs, const ClassifyContext& ctx) {
    const LockRules* rules = ctx.rules && !ctx.rules->empty() ? ctx.rules : nullptr;
    if (!rules) return classifyObservation(std::move(obs), ctx, false);
    if (rules->notLockRuleFor(obs.key)) {
        // Never a lock; what else it is (a counter) stays.
        KeyRecord r = classifyObservation(std::move(obs), ctx, false);
        if (r.isLock()) {
            r.kind = Kind::Other;
            r.format = Format::Unknown;
            r.state = LockState::Held;
            r.holder.clear();
            r.evidence = evidence::kRule;  // kept out by a rule
        }
        return r;
    }
    if (!rules->lockRuleFor(obs.key)) return classifyObservation(std::move(obs), ctx, false);
    std::string value = obs.type == "string" ? obs.value : std::string();
    const bool string = obs.type == "string";
    const bool cut = string && obs.truncated;
    const long long length = obs.length;
    if (cut) cutAtCharacter(value);
    KeyRecord r = classifyObservation(std::move(obs), ctx, true);
    if (r.isLock()) {
        r.evidence |= evidence::kRule;
        return r;
    }
    if (r.kind == Kind::Companion || r.isStale() || r.state == LockState::Free) return r;
    // Whatever it holds, the user says it is a lock: the value (a string) is its holder.
    r.kind = Kind::Other;
    r.format = Format::UserRule;
    r.number = 0;
    r.evidence = static_cast<std::uint8_t>(evidence::kRule | shapeBits(ValueShape::Text));
    r.holder = string ? std::move(value) : std::string();
    if (cut) {
        r.holderCut = true;  // the preview, compared with the total length on force-release
        r.number = length;
    }
    if (r.lastChange == Steady::time_point{}) r.lastChange = ctx.now;
    finishLock(r, ctx, std::nullopt, false);
    return r;
}

namespace {

// The clauses of why(), each under a message id (util/message.h): the dashboard translates them.
constexpr MessageText kWhyRuleNamed{"why.rule.named", "%1 matches"};
constexpr MessageText kWhyRuleYours{"why.rule.yours", "a lock rule of yours matches"};
constexpr MessageText kWhyLayoutToken{"why.layout.lockscope-token",
                                      "known layout: value is a LockScope token"};
constexpr MessageText kWhyLayoutSetnxGetset{
    "why.layout.setnx-getset",
    "known layout: value is an expiry time in epoch ms (seed 000 / LockScope setnx-getset)"};
constexpr MessageText kWhyLayoutHeartbeat{
    "why.layout.heartbeat", "known layout: hash {owner, beat, period_ms} (LockScope heartbeat)"};
constexpr MessageText kWhyLayoutReentrant{
    "why.layout.reentrant",
    "known layout: hash of <uuid>:<threadId> hold counts, uuid of a connected LockScope client"};
constexpr MessageText kWhyLayoutRedissonLock{
    "why.layout.redisson-lock",
    "known layout: hash of <uuid>:<threadId> hold counts (Redisson RLock)"};
constexpr MessageText kWhyLayoutRedissonFenced{
    "why.layout.redisson-fenced-lock",
    "known layout: Redisson lock hash with a redisson_lock_token counter"};
constexpr MessageText kWhyLayoutRedissonRw{
    "why.layout.redisson-rw-lock",
    "known layout: Redisson lock hash with a 'mode' field (RReadWriteLock)"};
constexpr MessageText kWhyLayoutRedissonFair{
    "why.layout.redisson-fair-lock",
    "known layout: Redisson lock hash with a redisson_lock_queue (RFairLock)"};
constexpr MessageText kWhyLayoutFair{
    "why.layout.fair",
    "known layout: RFairLock hash and queue, uuid of a connected LockScope client (fair)"};
constexpr MessageText kWhyQueueWithoutLock{
    "why.queue-without-lock",
    "known layout: RFairLock queue (redisson_lock_queue) with %1 live waiter(s) while the lock's "
    "key is missing — between a release and the first waiter's grant, or its holder's lease ran "
    "out while others wait; waiters past their deadline are not counted"};
constexpr MessageText kWhyLayoutReadWrite{
    "why.layout.read-write",
    "known layout: RReadWriteLock hash, uuid of a connected LockScope client (read-write)"};
constexpr MessageText kWhyLayoutSemaphore{
    "why.layout.semaphore",
    "known layout: integer of free permits with LockScope's lockscope_meta record (semaphore)"};
constexpr MessageText kWhyLayoutExpirableSemaphore{
    "why.layout.expirable-semaphore",
    "known layout: integer of free permits with a {k}:timeout lease set and LockScope's record"};
constexpr MessageText kWhyLayoutRedissonExpirableSemaphore{
    "why.layout.redisson-expirable-semaphore",
    "known layout: integer of free permits with a {k}:timeout lease set "
    "(RPermitExpirableSemaphore)"};
constexpr MessageText kWhyLayoutLatch{
    "why.layout.latch", "known layout: integer count with LockScope's lockscope_meta latch record"};
constexpr MessageText kWhyLayoutRedisPy{"why.layout.redis-py",
                                        "known layout: value is a uuid1 hex token (redis-py Lock)"};
constexpr MessageText kWhyLayoutPythonRedisLock{
    "why.layout.python-redis-lock",
    "known layout: lock:<name> with a 24-char base64 token (python-redis-lock)"};
constexpr MessageText kWhyLayoutNodeRedlock{
    "why.layout.node-redlock",
    "known layout: 32 hex chars under a lock-like name (node-redlock's token)"};
constexpr MessageText kWhyLayoutShedLock{"why.layout.shedlock",
                                         "known layout: value ADDED:<time>@<host> (ShedLock)"};
constexpr MessageText kWhyLayoutNodeRedisLock{
    "why.layout.node-redis-lock",
    "known layout: lock.<name> holding its expiry in epoch ms (node redis-lock)"};
constexpr MessageText kWhyLayoutSymfony{
    "why.layout.symfony-lock",
    "known layout: zset of 44-char tokens scored by their expiry in ms (Symfony Lock)"};
constexpr MessageText kWhyLayoutSidekiq{
    "why.layout.sidekiq-unique-jobs",
    "known layout: <digest>:LOCKED, a hash of job id → time locked (sidekiq-unique-jobs; shown "
    "only: unlock it with the library)"};
constexpr MessageText kWhyLayoutBullMq{
    "why.layout.bullmq",
    "known layout: <queue>:<job id>:lock holding <worker uuid>:<n>, the worker's token for the job "
    "(BullMQ)"};
constexpr MessageText kWhyLayoutActiveJobUniqueness{
    "why.layout.activejob-uniqueness",
    "known layout: activejob_uniqueness:<job>:<digest> holding a UUID (activejob-uniqueness, "
    "redlock-rb)"};
constexpr MessageText kWhyLayoutCeleryOnce{
    "why.layout.celery-once",
    "known layout: qo_<task>_<args> holding a uuid1 hex token or its expiry, with a TTL "
    "(celery_once)"};
constexpr MessageText kWhyLayoutLaravelCacheLock{
    "why.layout.laravel-cache-lock",
    "known layout: a 16-character owner stored raw under Laravel's cache prefix "
    "(Cache::lock; other cache values are PHP-serialized)"};
constexpr MessageText kWhyLayoutOther{"why.layout.other", "known layout: "};
constexpr MessageText kWhyNameHas{"why.name-has", "name has '%1'"};
constexpr MessageText kWhyGoesUpEvery{"why.goes-up-every", "value goes up every %1 ms"};
constexpr MessageText kWhyGoesUp{"why.goes-up", "value goes up"};
constexpr MessageText kWhyIntegerNotMeasured{"why.integer-not-measured",
                                             "integer: a process id or a heartbeat, not measured"};
constexpr MessageText kWhyOtherStrategyToken{"why.other-strategy-token",
                                             "value is a LockScope token of another strategy"};
constexpr MessageText kWhyHoldCount{"why.hold-count",
                                    "integer goes up and down: a hold count, not a heartbeat"};
// "Unchanged for N s" is all N s of watching show: a heartbeat slower than that looks the same
// (adv11d item 9: a 5 s beat was called "a process id, not a heartbeat" after 2.4 s).
constexpr MessageText kWhyIntegerUnchanged{
    "why.integer-unchanged",
    "integer unchanged for %1 s while watched: a process id, or a heartbeat slower than that "
    "(not told apart yet)"};
constexpr MessageText kWhyJsonOwnerNobody{"why.json-owner-nobody",
                                          "value is JSON whose owner field names nobody"};
constexpr MessageText kWhyShortText{"why.short-text",
                                    "value is short text, taken for the holder's name"};
// "value is " + valueShapeText(shape), for every shape but Other and Text.
constexpr MessageText kWhyShapeLayout{"why.shape.layout", "value is a known layout"};
constexpr MessageText kWhyShapeToken{"why.shape.token", "value is a random token"};
constexpr MessageText kWhyShapeUuid{"why.shape.uuid", "value is a UUID"};
constexpr MessageText kWhyShapeIdentity{"why.shape.identity",
                                        "value is a name (a host's, a process's or a person's)"};
constexpr MessageText kWhyShapeProcessNonce{
    "why.shape.process-nonce", "value is a process's identity host:pid:nonce (as Sidekiq's)"};
constexpr MessageText kWhyShapeFlag{"why.shape.flag", "value is a flag"};
constexpr MessageText kWhyShapeInteger{"why.shape.integer", "value is an integer"};
constexpr MessageText kWhyShapeEpochSeconds{"why.shape.epoch-seconds",
                                            "value is an epoch time in seconds"};
constexpr MessageText kWhyShapeEpochMillis{"why.shape.epoch-ms", "value is an epoch time in ms"};
constexpr MessageText kWhyShapeJson{"why.shape.json", "value is JSON with an owner"};
constexpr MessageText kWhyShapeNumber{"why.shape.number",
                                      "value is a number, which names no holder"};
constexpr MessageText kWhyShapeHashOwner{"why.shape.hash-owner",
                                         "value is a hash with an owner field"};
constexpr MessageText kWhyShapeTime{"why.shape.time",
                                    "value is a time (epoch µs or ns, or ISO-8601)"};
constexpr MessageText kWhyShapeSerialized{
    "why.shape.serialized",
    "value is binary (a Python pickle / Ruby Marshal value) holding true or a short string"};
// What a time in the value is (adv11d item 5): with a TTL, the TTL ends the lock; without one a
// past time is when it was taken (an ISO time: stuck), a time ahead its expiry.
constexpr MessageText kWhyTimeTtlEnds{"why.time.ttl-ends",
                                      "the TTL ends it, not the time in the value"};
constexpr MessageText kWhyTimeTaken{
    "why.time.taken", "a time past without a TTL: when it was taken, nothing ends it"};
constexpr MessageText kWhyTimeExpiry{"why.time.expiry",
                                     "the time is its expiry (no TTL: the next waiter checks it)"};
constexpr MessageText kWhyNotKnownShape{"why.not-known-shape", "value not of a known lock shape"};
constexpr MessageText kWhyTtlSet{"why.ttl-set", "TTL set"};
constexpr MessageText kWhyNoTtl{"why.no-ttl", "no TTL"};
// A flag or a name under a lock word, stuck without a TTL: what `stuck-no-ttl` exists to show
// (SETNX without its EXPIRE) looks the same as a switch an application set (adv11d item 8).
constexpr MessageText kWhyGuessNoTtl{
    "why.guess-no-ttl",
    "a guess: a SETNX that never got its EXPIRE, or a switch an application set (a forum thread "
    "a moderator locked) — if it is no lock, a not-lock rule keeps it out"};

constexpr const MessageText* kWhyTexts[] = {
    &kWhyRuleNamed,
    &kWhyRuleYours,
    &kWhyHoldCount,
    &kWhyIntegerUnchanged,
    &kWhyJsonOwnerNobody,
    &kWhyLayoutToken,
    &kWhyLayoutSetnxGetset,
    &kWhyLayoutHeartbeat,
    &kWhyLayoutReentrant,
    &kWhyLayoutRedissonLock,
    &kWhyLayoutRedissonFenced,
    &kWhyLayoutRedissonRw,
    &kWhyLayoutRedissonFair,
    &kWhyLayoutFair,
    &kWhyQueueWithoutLock,
    &kWhyLayoutReadWrite,
    &kWhyLayoutSemaphore,
    &kWhyLayoutExpirableSemaphore,
    &kWhyLayoutRedissonExpirableSemaphore,
    &kWhyLayoutLatch,
    &kWhyLayoutRedisPy,
    &kWhyLayoutPythonRedisLock,
    &kWhyLayoutNodeRedlock,
    &kWhyLayoutShedLock,
    &kWhyLayoutNodeRedisLock,
    &kWhyLayoutSymfony,
    &kWhyLayoutSidekiq,
    &kWhyLayoutBullMq,
    &kWhyLayoutActiveJobUniqueness,
    &kWhyLayoutCeleryOnce,
    &kWhyLayoutLaravelCacheLock,
    &kWhyLayoutOther,
    &kWhyNameHas,
    &kWhyGoesUpEvery,
    &kWhyGoesUp,
    &kWhyIntegerNotMeasured,
    &kWhyOtherStrategyToken,
    &kWhyShortText,
    &kWhyShapeLayout,
    &kWhyShapeToken,
    &kWhyShapeUuid,
    &kWhyShapeIdentity,
    &kWhyShapeFlag,
    &kWhyShapeInteger,
    &kWhyShapeEpochSeconds,
    &kWhyShapeEpochMillis,
    &kWhyShapeJson,
    &kWhyShapeNumber,
    &kWhyShapeHashOwner,
    &kWhyShapeTime,
    &kWhyShapeSerialized,
    &kWhyShapeProcessNonce,
    &kWhyTimeTtlEnds,
    &kWhyTimeTaken,
    &kWhyTimeExpiry,
    &kWhyNotKnownShape,
    &kWhyTtlSet,
    &kWhyNoTtl,
    &kWhyGuessNoTtl,
};

const MessageText& knownLayoutText(Format f) {
    switch (f) {
        case Format::SetnxExpire:
        case Format::SetNxPx:
        case Format::Redlock:
        case Format::Fenced:
        case Format::UnsafeDel:
            return kWhyLayoutToken;
        case Format::SetnxGetset:
            return kWhyLayoutSetnxGetset;
        case Format::Heartbeat:
            return kWhyLayoutHeartbeat;
        case Format::Reentrant:
            return kWhyLayoutReentrant;
        case Format::RedissonLock:
            return kWhyLayoutRedissonLock;
        case Format::RedissonFencedLock:
            return kWhyLayoutRedissonFenced;
        case Format::RedissonRwLock:
            return kWhyLayoutRedissonRw;
        case Format::RedissonFairLock:
            return kWhyLayoutRedissonFair;
        case Format::Fair:
            return kWhyLayoutFair;
        case Format::ReadWrite:
            return kWhyLayoutReadWrite;
        case Format::Semaphore:
            return kWhyLayoutSemaphore;
        case Format::ExpirableSemaphore:
            return kWhyLayoutExpirableSemaphore;
        case Format::RedissonExpirableSemaphore:
            return kWhyLayoutRedissonExpirableSemaphore;
        case Format::Latch:
            return kWhyLayoutLatch;
        case Format::RedisPy:
            return kWhyLayoutRedisPy;
        case Format::PythonRedisLock:
            return kWhyLayoutPythonRedisLock;
        case Format::NodeRedlock:
            return kWhyLayoutNodeRedlock;
        case Format::ShedLock:
            return kWhyLayoutShedLock;
        case Format::NodeRedisLock:
            return kWhyLayoutNodeRedisLock;
        case Format::SymfonyLock:
            return kWhyLayoutSymfony;
        case Format::SidekiqUniqueJobs:
            return kWhyLayoutSidekiq;
        case Format::BullMq:
            return kWhyLayoutBullMq;
        case Format::ActiveJobUniqueness:
            return kWhyLayoutActiveJobUniqueness;
        case Format::CeleryOnce:
            return kWhyLayoutCeleryOnce;
        case Format::LaravelCacheLock:
            return kWhyLayoutLaravelCacheLock;
        default:
            return kWhyLayoutOther;
    }
}

const MessageText* shapeText(ValueShape s) {
    switch (s) {
        case ValueShape::Layout:
            return &kWhyShapeLayout;
        case ValueShape::Token:
            return &kWhyShapeToken;
        case ValueShape::Uuid:
            return &kWhyShapeUuid;
        case ValueShape::Identity:
            return &kWhyShapeIdentity;
        case ValueShape::Flag:
            return &kWhyShapeFlag;
        case ValueShape::Integer:
            return &kWhyShapeInteger;
        case ValueShape::EpochSeconds:
            return &kWhyShapeEpochSeconds;
        case ValueShape::EpochMillis:
            return &kWhyShapeEpochMillis;
        case ValueShape::Json:
            return &kWhyShapeJson;
        case ValueShape::Number:
            return &kWhyShapeNumber;
        case ValueShape::HashOwner:
            return &kWhyShapeHashOwner;
        case ValueShape::Time:
            return &kWhyShapeTime;
        case ValueShape::Serialized:
            return &kWhyShapeSerialized;
        case ValueShape::ProcessNonce:
            return &kWhyShapeProcessNonce;
        case ValueShape::Other:
        case ValueShape::Text:
            break;
    }
    return nullptr;
}

}  // namespace

bool byKnownLayout(const KeyRecord& r) { return isKnownLayout(r.format) && !r.guessed(); }

std::span<const MessageText* const> whyTexts() { return kWhyTexts; }

std::vector<Message> whyParts(const KeyRecord& r, const LockRules* rules) {
    std::vector<Message> out;
    if (!r.isLock()) return out;
    if (r.byRule()) {
        const std::string* rule = rules ? rules->lockRuleFor(r.key) : nullptr;
        out.push_back(rule ? message(kWhyRuleNamed, {rules->describe(rule)})
                           : message(kWhyRuleYours));
    }
    if (r.queueOnly) {
        out.push_back(message(kWhyQueueWithoutLock, {std::to_string(r.queued)}));
        return out;
    }
    if (byKnownLayout(r)) {
        out.push_back(message(knownLayoutText(r.format)));
    } else {
        if (r.evidence & evidence::kLockName) {
            const auto clues = nameClues(r.key);
            // The word a context voided (a token with a TTL restores it), or lock_<name>'s.
            // A UI or translation word's voided one too (翻译:任务:锁 = a UUID: adv11h item 10 read
            // "name has ''").
            const auto word = !clues.lockWord.empty()           ? clues.lockWord
                              : !clues.voidedLockWord.empty()   ? clues.voidedLockWord
                              : !clues.uiVoidedLockWord.empty() ? clues.uiVoidedLockWord
                                                                : clues.lockAttribute;
            out.push_back(message(kWhyNameHas, {std::string(word)}));
        }
        if (r.format == Format::HeartbeatCounter && (r.evidence & evidence::kBeating))
            out.push_back(r.periodMs > 0 ? message(kWhyGoesUpEvery, {std::to_string(r.periodMs)})
                                         : message(kWhyGoesUp));
        else if ((r.format == Format::Identity || r.format == Format::Flag) && r.holdCount > 0)
            out.push_back(message(kWhyHoldCount));
        else if (r.format == Format::Identity && r.shape() == ValueShape::Integer &&
                 r.state == LockState::StuckNoTtl) {
            // As of its last read (a lower bound: it may have stayed so since).
            const long long ms = std::max<long long>(
                0,
                std::chrono::duration_cast<std::chrono::milliseconds>(r.observedAt - r.lastChange)
                    .count());
            char seconds[32];
            std::snprintf(seconds, sizeof seconds, "%.1f", static_cast<double>(ms) / 1000);
            out.push_back(message(kWhyIntegerUnchanged, {seconds}));
        } else if (r.format == Format::Identity && r.shape() == ValueShape::Integer)
            out.push_back(message(kWhyIntegerNotMeasured));
        else if (r.format == Format::Token && r.holder.rfind(locks::kTokenPrefix, 0) == 0)
            out.push_back(message(kWhyOtherStrategyToken));
        else if (r.format == Format::JsonOwner && !holderParts(r))
            out.push_back(message(kWhyJsonOwnerNobody));
        else if (r.format == Format::Identity && r.shape() == ValueShape::Text)
            out.push_back(message(kWhyShortText));
        else if (const MessageText* shape = shapeText(r.shape()))
            out.push_back(message(*shape));
        else if (r.format == Format::UserRule)
            out.push_back(message(kWhyNotKnownShape));
        if (r.format == Format::ExpiryTimestamp || r.format == Format::SetnxGetset) {
            if (r.ttlMs >= 0)
                out.push_back(message(kWhyTimeTtlEnds));
            else if (r.state == LockState::StuckNoTtl)
                out.push_back(message(kWhyTimeTaken));
            else if (r.ttlMs == -1)
                out.push_back(message(kWhyTimeExpiry));
        }
    }
    if (r.ttlMs >= 0)
        out.push_back(message(kWhyTtlSet));
    else if (r.ttlMs == -1)
        out.push_back(message(kWhyNoTtl));
    if (!r.byRule() && r.guessed() && r.ttlMs == -1 && r.state == LockState::StuckNoTtl &&
        r.holdCount == 0 &&
        (r.format == Format::Flag ||
         (r.format == Format::Identity &&
          (r.shape() == ValueShape::Identity || r.shape() == ValueShape::Text))))
        out.push_back(message(kWhyGuessNoTtl));
    return out;
}

std::optional<KeyRecord> lockOfFairQueue(const FairQueueSeen& q, const ClassifyContext& ctx) {
    if (q.lockExists || q.lock.empty()) return std::nullopt;  // the lock's own read speaks for it
    KeyRecord r;
    r.key = q.lock;
    r.state = LockState::Free;
    r.ttlMs = -2;
    r.observedAt = ctx.now;
    r.lastChange = ctx.now;
    const size_t live = liveWaiters(q.waiters, ctx.wallNowMs);
    if (live == 0) return r;  // kind Other: gone (a record shown for it leaves)
    r.kind = Kind::Lock;
    r.queueOnly = true;
    r.queued = static_cast<std::int16_t>(std::min<size_t>(live, 32767));
    r.evidence = shapeBits(ValueShape::Layout);
    // The first live waiter: its deadline (when the record must be read again), and its uuid's
    // tag — a connected LockScope client waits in LockScope's own fair lock.
    const FairWaiter* head = nullptr;
    for (const auto& w : q.waiters)
        if (w.timeoutAtMs && *w.timeoutAtMs > ctx.wallNowMs) {
            head = &w;
            break;
        }
    r.number = head && head->timeoutAtMs ? *head->timeoutAtMs : 0;
    const std::string tag = head ? head->id.substr(0, 8) : std::string();
    r.format = ctx.lockscopeClientsByTag && ctx.lockscopeClientsByTag->count(tag)
                   ? Format::Fair
                   : Format::RedissonFairLock;
    return r;
}

std::string why(const KeyRecord& r, const LockRules* rules) {
    return render(whyParts(r, rules), "; ");
}

namespace {
// Ports of the services whose address a leader or a worker advertises (Redis, its Sentinel,
// PostgreSQL, MySQL, HTTP, Kafka, ZooKeeper, etcd, Consul, NATS, Elasticsearch, MongoDB,
// memcached, RabbitMQ, Cassandra, gRPC's usual ones): after a host name these are a port, not a
// process id (a pid there is as likely as any other of its 4 million).
bool isWellKnownPort(long long n) {
    static constexpr int kPorts[] = {21,   22,   25,   53,   80,    443,   1433,  1521,  2181, 2379,
                                     2380, 3000, 3306, 4222, 5000,  5432,  5672,  6379,  6380, 6443,
                                     7000, 7001, 8000, 8080, 8081,  8443,  8500,  8888,  9000, 9042,
                                     9090, 9092, 9200, 9300, 11211, 15672, 26379, 27017, 50051};
    return std::find(std::begin(kPorts), std::end(kPorts), n) != std::end(kPorts);
}

}  // namespace

std::optional<HolderParts> holderParts(const KeyState& r) {
    if (!r.isLock() || r.holder.empty()) return std::nullopt;
    std::string_view h = r.holder;
    HolderParts p;
    auto digits = [](std::string_view d) {
        long long v = -1;
        if (d.empty() || d.size() > 9 || !std::all_of(d.begin(), d.end(), isAsciiDigit)) return v;
        std::from_chars(d.data(), d.data() + d.size(), v);
        return v;
    };
    if (r.shape() == ValueShape::Serialized) {  // a pickled / Marshal'd string: its text
        const auto ser = serializedScalar(h);
        if (!ser || ser->kind != SerializedScalar::Text || ser->text.empty()) return std::nullopt;
        p.name = ser->text;
        return p;
    }
    if (r.format == Format::ShedLock) {  // ADDED:<time>@<host>[:<uuid>]
        const auto at = h.find('@');
        p.since = std::string(h.substr(6, at - 6));
        std::string_view host = h.substr(at + 1);
        if (host.size() > 37 && host[host.size() - 37] == ':' &&
            isUuid(host.substr(host.size() - 36)))
            host = host.substr(0, host.size() - 37);
        p.host = std::string(host);
        return p;
    }
    if (r.format == Format::JsonOwner) {
        auto owner = jsonOwner(trimSpace(h), r.holderCut);
        if (!owner || (owner->value.empty() && owner->host.empty())) return std::nullopt;
        p.name = owner->value;
        p.host = owner->host;
        p.pid = owner->pid;
        if (p.host.empty() && isHostName(p.name)) p.host = p.name;
        // "4242@web-01" (the JVM's pid@host), as a plain value gives it.
        if (const auto at = p.name.find('@');
            p.host.empty() && p.pid < 0 && at != std::string::npos && at > 0 && at <= 9 &&
            std::all_of(p.name.begin(), p.name.begin() + static_cast<long>(at), isAsciiDigit) &&
            at + 1 < p.name.size() && isIdentity(std::string_view(p.name).substr(at + 1))) {
            p.pid = std::stoll(p.name.substr(0, at));
            p.host = p.name.substr(at + 1);
        }
        if (p.name.empty() && p.host.empty()) return std::nullopt;
        return p;
    }
    if (r.format == Format::SidekiqUniqueJobs) {  // the job id(s); when the first locked it
        p.name = r.holder;
        if (r.number > 0) {
            const std::string ms = std::to_string(1000 + r.number % 1000);
            p.since = std::to_string(r.number / 1000) + "." + ms.substr(1);
        }
        return p;
    }
    if (r.format == Format::HashOwner) {  // the owner field; a pid field beside it
        // "<owner>; pid=4242; acquired_at=...": the owner is the first part.
        p.name = std::string(trimSpace(hashHolderOwner(h)));
        if (r.number > 0) p.pid = r.number;
        if (isHostName(p.name) || isIpAddress(p.name)) p.host = p.name;
        return p;
    }
    if (r.format != Format::Identity) return std::nullopt;
    if (r.shape() == ValueShape::Integer) return std::nullopt;  // a pid or a beat: not measured
    h = trimSpace(h);                                           // "vm\n": the holder is vm
    if (isIpAddress(h)) {
        p.host = std::string(h);
        return p;
    }
    // An address and a number: "10.0.3.17:8080", "[2001:db8::1]:8080" is how an endpoint is
    // written (a leader's advertised address), so a number a port can be (1-65535) keeps the
    // address whole as the host, no pid; only a larger one is a process id. A host NAME with a
    // number ("web-1:4242") stays host and pid (docs/client-formats.md#evidence).
    if (auto ip = ipAndNumber(h); ip && isIpAddress(ip->first) && digits(ip->second) >= 0) {
        const long long n = digits(ip->second);
        if (n >= 1 && n <= 65535) {
            p.host = std::string(h);
        } else {
            p.host = std::string(ip->first);
            p.pid = n;
        }
        return p;
    }
    if (const auto at = h.find('@'); at != std::string_view::npos && digits(h.substr(0, at)) >= 0) {
        p.pid = digits(h.substr(0, at));  // the JVM's "pid@host"
        p.host = std::string(h.substr(at + 1));
    } else if (const auto colon = h.rfind(':');
               colon != std::string_view::npos && digits(h.substr(colon + 1)) >= 0) {
        // web-1:6379, db.internal:5432: a service's well-known port makes it an endpoint (a
        // leader's advertised address), kept whole as the host; any other number is a pid.
        const long long n = digits(h.substr(colon + 1));
        if (isWellKnownPort(n)) {
            p.host = std::string(h);
            return p;
        }
        p.host = std::string(h.substr(0, colon));
        p.pid = n;
    } else if (isHostName(h)) {
        p.host = std::string(h);
    } else {
        p.name = std::string(h);  // a worker name: host or not, nobody can tell
    }
    return p;
}

namespace {
// A JSON lock's identity fields that both values have and that differ: {"owner":"web-1",
// "token":"aaaa"} → {"owner":"web-1","token":"bbbb"} is another acquisition on web-1 (another
// thread or process), not a renewal (adv11c item 7). Only the fields that name a holder or one
// acquisition count (a renew time, a heartbeat, a counter move on a renewal).
bool identityFieldChanged(const KeyState& a, const KeyState& b) {
    auto fields = [](const KeyState& k) {
        std::vector<std::pair<std::string, std::string>> out;
        JsonReader reader{trimSpace(k.holder)};
        reader.partial = k.holderCut;
        const auto all = reader.object();
        if (!all) return out;
        for (const auto& [name, raw] : *all) {
            const std::string w = fieldWord(name);
            if (oneOf(w, {"token", "locktoken", "lockid", "sessionid", "session", "nonce", "uuid",
                          "fencingtoken", "leaseid", "acquisitionid"}))
                out.emplace_back(w, std::string(raw));
        }
        return out;
    };
    const auto left = fields(a), right = fields(b);
    for (const auto& [w, raw] : left)
        for (const auto& [w2, raw2] : right)
            if (w == w2 && raw != raw2) return true;
    return false;
}
}  // namespace

bool sameOwner(const KeyState& previous, const KeyState& fresh) {
    if (previous.format != fresh.format || previous.holder == fresh.holder) return false;
    if (fresh.format != Format::JsonOwner && fresh.format != Format::ShedLock) return false;
    const auto a = holderParts(previous);
    const auto b = holderParts(fresh);
    return a && b && (!a->name.empty() || !a->host.empty()) && a->name == b->name &&
           a->host == b->host && a->pid == b->pid &&
           !(fresh.format == Format::JsonOwner && identityFieldChanged(previous, fresh));
}

bool holdCountStep(const KeyState& previous, const KeyState& fresh) {
    auto integer = [](const KeyState& k) {
        return k.format == Format::Flag || k.format == Format::HeartbeatCounter ||
               (k.format == Format::Identity && k.shape() == ValueShape::Integer);
    };
    return fresh.holdCount > 0 && integer(previous) && integer(fresh) && !fresh.byRule() &&
           (fresh.number - previous.number == 1 || previous.number - fresh.number == 1);
}

std::string whyNot(const Observation& obs, const KeyRecord& r, const LockRules* rules) {
    if (r.isLock()) return {};
    if (obs.type == "unreadable") return "could not be read: " + obs.error;
    if (obs.type == "none" || obs.pttlMs == -2) return "the key does not exist";
    if (r.kind == Kind::Companion)
        return "a companion of another lock (its queue, fencing counter or signal), listed with it";
    if (rules) {
        if (const auto* p = rules->notLockRuleFor(obs.key))
            return rules->describe(p) + " keeps it out";
    }
    const NameClues name = nameClues(obs.key);
    // The word after `lock_` when it names when a lock ends (lock_until, lockUntil, lock_end).
    std::string endWord;
    if (!name.lockAttribute.empty()) {
        size_t b = static_cast<size_t>(name.lockAttribute.data() - obs.key.data()) +
                   name.lockAttribute.size();
        if (b < obs.key.size() && (obs.key[b] == '_' || obs.key[b] == '-')) ++b;
        size_t e = b + 1;
        while (e < obs.key.size() && isAsciiAlpha(obs.key[e]) && !isAsciiUpper(obs.key[e])) ++e;
        std::string w;
        for (size_t k = b; k < std::min(e, obs.key.size()); ++k) w += lowerAscii(obs.key[k]);
        if (isLockEndWord(w)) endWord = obs.key.substr(b, e - b);
    }
    if (obs.type == "string" && !obs.truncated && !name.lockWord.empty() &&
        !name.eventWord.empty() && obs.pttlMs < 0 && isTimeValue(trimSpace(obs.value)))
        return "the name's '" + std::string(name.eventWord) + "' after '" +
               std::string(name.lockWord) +
               "' names when something happened (last_run, created, started), and the value is "
               "a time: when it happened, not a lock's expiry — not a lock; to list it anyway, "
               "add the rule 'lock <pattern>' (docs/rules.md)";
    const std::string nameText =
        !name.lockWord.empty() ? "the name has '" + std::string(name.lockWord) + "'"
        : !name.uiWord.empty()
            ? "the name's '" + std::string(name.uiWord) +
                  "' marks a UI string, a preference or a device setting (i18n, prefs, "
                  "screen_lock), not a lock"
        : !name.verbPhrase.empty() && name.contextWord.empty() && !name.switchOwner.empty()
            ? "the name's '" + std::string(name.verbPhrase) + "' after '" +
                  std::string(name.switchOwner) +
                  "' is a switch on a person (lock comments: a ban or a permission, as "
                  "user:42:lock_comments), whose TTL is how long it lasts, not a lease — not a "
                  "lock"
        : !name.verbPhrase.empty() && name.contextWord.empty()
            ? "the name's '" + std::string(name.verbPhrase) +
                  "' is a verb phrase (lock posts: a permission or a moderation switch, as "
                  "perm:user:42:lock_posts), not a lock's name"
        : name.deviceRecord
            ? "the name's '" + std::string(name.contextWord) +
                  "' after the lock word is a device's attribute (a smart lock's status, "
                  "state, battery, firmware: lock:device:42:battery, smart_lock:42:state), a "
                  "device's record, not a lock"
        : !name.contextWord.empty()
            ? "the name's '" + std::string(name.contextWord) +
                  "' makes the lock word a setting's, a feature flag's, a package's or a "
                  "described thing's (user:1:settings:lock, feature:lock, "
                  "catalog:smart-lock:title, "
                  "npm:pkg:redis-lock:version, door:front:lock), not a lock"
        : !name.settingAfter.empty() && name.contextWord.empty()
            ? "the name's '" + std::string(name.settingAfter) + "' after '" +
                  std::string(name.lockAttribute) +
                  "' names a setting, a record or a switch of the lock feature (lock:max_wait, "
                  "lock:global:enabled, lock:reason:user:42, 分布式锁:超时时间), not a lock"
        : !endWord.empty()
            ? "the name's '" + std::string(name.lockAttribute) + "_" + endWord +
                  "' names when a lock ends — an account locked until then, as locked_until and "
                  "lock_expires_at — not a lock"
        : !name.lockAttribute.empty() && name.idAttribute
            ? "the name's '" + std::string(name.lockAttribute) +
                  "_...' names an id, a PIN or a code kept about a lock (lock_id, lock_pin, "
                  "lock_code), not a lock"
        : !name.lockAttribute.empty()
            ? "the name's '" + std::string(name.lockAttribute) +
                  "_...' names a setting or measure of a lock feature (lock_timeout, "
                  "lock_enabled), not a lock"
        : !name.fileName.empty()
            ? "the name's '" + std::string(name.fileName) +
                  "' is a file's name (a .lock file: yarn.lock, Gemfile.lock), not a lock"
        : !name.lockout.empty()
            ? "the name's '" + std::string(name.lockout) +
                  "' is a lockout (failed logins counted, as lockout:user:42), not a lock"
            : "the name has no lock-like word (lock, mutex, lease, leader, guard, 锁... as a "
              "whole word)";
    if (obs.type == "hash" && !name.lockWord.empty())
        return "a hash of no known lock layout and without owner-like fields only (owner, "
               "holder, host, pid, thread... beside times, a reason, a token); " +
               nameText;
    if (obs.type == "hash") return "a hash of no known lock layout; " + nameText;
    if (auto sym = symfonyHold(obs, 0); sym && obs.type == "zset" && !sym->marker &&
                                        name.lockWord.empty() &&
                                        !(rules && rules->lockRuleFor(obs.key)))
        return "a zset of random tokens scored by times in ms, as Symfony Lock's shared lock "
               "writes — and as refresh or remember-me tokens are kept; no '__write__' member "
               "(Symfony's exclusive lock writes one) and " +
               nameText +
               ": a token store as likely as a lock; to list it anyway, add the rule 'lock "
               "<pattern>' (docs/rules.md)";
    if (auto sym = symfonyHold(obs, 0); sym && obs.type == "zset")
        return "a zset of Symfony Lock's layout whose every lease has run out: nobody holds it";
    if (obs.type == "zset" && obs.fields.empty() && obs.pttlMs < 0)
        return "a zset without a TTL: Symfony Lock's zset (tokens scored by their expiry) always "
               "has one, and no other lock format uses a zset";
    if (obs.type == "zset")
        return "a zset whose members are not Symfony Lock's (44-char base64 tokens and "
               "'__write__' scored by their expiry in epoch ms): no other lock format uses one";
    if (obs.type != "string") return "a " + obs.type + ": no lock format uses one";
    if (obs.truncated) {
        std::string v = obs.value;
        cutAtCharacter(v);
        const std::string toListLong =
            "; to list it anyway, add the rule 'lock <pattern>' (docs/rules.md)";
        if (name.lockWord.empty())
            return "a string longer than the preview (" + std::to_string(obs.length) +
                   " bytes), and " + nameText + ": a value's shape alone is no evidence" +
                   toListLong;
        return "a string longer than the preview (" + std::to_string(obs.length) +
               " bytes) whose start is no JSON record with an owner-like field: no holder can "
               "be read from it, though " +
               nameText + toListLong;
    }
    const std::string toList = "; to list it anyway, add the rule 'lock <pattern>' (docs/rules.md)";
    const std::string_view v = trimSpace(obs.value);
    if (r.isCounter()) {
        const auto n = parseInteger(v).value_or(0);
        if (name.lockWord.empty()) {
            if (n >= kEpochMsMin && n <= kEpochMsMax)
                return "an integer in the epoch-ms range (a time, as setnx-getset stores), but " +
                       nameText + ": a counter" + toList;
            return "an integer, and " + nameText + ": a counter";
        }
        if (name.countWord)
            return nameText + ", which counts (a semaphore's permits, a latch): a counter";
        if (name.counterWord)
            return nameText + ", but also a word that counts ('" + std::string(name.counterText) +
                   "'): a counter";
        return nameText + ", but " + std::string(v) +
               " means released (not held): a counter, not a lock";
    }
    if (!name.lockWord.empty() && isReleasedWord(v))
        return nameText + ", but the value '" + std::string(v) +
               "' means released (not held): not a lock now";
    if (auto owner = jsonOwner(v); owner && owner->released && !name.lockWord.empty())
        return nameText +
               ", but the value says released (a JSON record with released: true, "
               "locked: false or a released / unlocked status): not held, not a lock "
               "now";
    if (!name.lockWord.empty() && isDuration(v))
        return "value is a duration ('" + std::string(v) + "'), a setting's value, not a holder, " +
               "though " + nameText;
    // (Plain text with spaces is said below.)
    if (isLeaseWord(name.lockWord) && obs.pttlMs == -1 && !isMachineIdentity(v) &&
        (v.find(' ') == std::string_view::npos || jsonOwner(v)))
        return "value names a person or a record ('" + std::string(v) + "'), not a process, and " +
               "there is no TTL: '" + std::string(name.lockWord) +
               "' names a team's leader, a contract or a post as often as a lock — only a "
               "machine's or a process's name (web-1, a host, pid@host) or a token makes it one" +
               toList;
    if (!name.lockWord.empty() && isPictograph(v))
        return "value is a pictograph ('" + std::string(v) +
               "'), a symbol shown for the lock word, not a holder's name, though " + nameText +
               toList;
    if (auto owner = jsonOwner(v); owner && !name.lockWord.empty() && obs.pttlMs == -1 &&
                                   owner->expiresMs <= 0 && isPersonOwner(owner->value))
        return "value is JSON whose owner names a person or a role ('" + owner->value +
               "') and there is no TTL or expiry: who set a switch (an account an admin "
               "locked), not a process holding a lock, though " +
               nameText + toList;
    if (const auto ser = serializedScalar(obs.value);
        ser && !name.lockWord.empty() && (ser->kind == SerializedScalar::False || obs.pttlMs < 0))
        return std::string(ser->kind == SerializedScalar::False
                               ? "value is binary (a Python pickle / Ruby Marshal value) of false: "
                                 "released, not held"
                               : "value is binary (a Python pickle / Ruby Marshal value) holding "
                                 "true or a short string, without a TTL: a cached value as "
                                 "likely as a lock (a cache lock always has one)") +
               ", though " + nameText + toList;
    if (!name.lockWord.empty() && obs.pttlMs == -1 && isPersonReference(v))
        return "value names a person ('" + std::string(v) +
               "': a role and a name, or a user's record) and there is no TTL: who set a switch "
               "(a forum topic a moderator locked), not a process holding a lock, though " +
               nameText + toList;
    std::string shape;
    if (v.size() == 32 && isLowerHex(v))
        shape = "value is 32 hex characters (node-redlock's and redis-py's token, or an md5 hash)";
    else if (jsonOwner(v))
        shape = "value is JSON with an owner-like field (a document as likely as a lock)";
    else if (looksRandom(v))
        shape = "value looks like a token (a session id as likely as a lock)";
    else if (!v.empty() && (v.front() == '{' || v.front() == '['))
        shape = "value is JSON without an owner field";
    else if (isHostName(v) || isIpAddress(v) || (isIdentity(v) && hasProcessIdentity(v)))
        shape = "value looks like a host or process name";
    else if (isDecimalFraction(v))
        shape = "value is a decimal with two places (a price), not a lock taken";
    else if (v.size() >= 2 &&
             ((static_cast<unsigned char>(v[0]) == 0x80 && static_cast<unsigned char>(v[1]) >= 2 &&
               static_cast<unsigned char>(v[1]) <= 5) ||
              (v[0] == 4 && v[1] == 8)))
        shape = "value is binary (a Python pickle / Ruby Marshal value) of no lock shape";
    else if (isMarkup(v))
        shape = "value is a page (HTML, XML), not a holder";
    else if (isLeaseWord(name.lockWord) && v.find(' ') != std::string_view::npos)
        shape = "value is text with spaces, and '" + std::string(name.lockWord) +
                "' names a contract or a person's post (a tenant, a guard) as often as a lock";
    else if (isFlagWord(v))
        shape = "value is a flag word ('" + std::string(v) + "'), as a taken lock may hold";
    else if (isIdentity(v))
        shape = "value could be a holder's name ('" + std::string(v) + "')";
    else
        shape = "value is text of no lock shape";
    if (obs.pttlMs >= 0) shape += " with a TTL (a TTL alone makes a cache entry, not a lock)";
    if (!name.lockWord.empty())
        return shape + ": no holder can be read from it, though " + nameText;
    return shape + ", and " + nameText + ": a value's shape alone is no evidence" + toList;
}

}  // namespace lockscope::monitor
