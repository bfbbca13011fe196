#include "quality/link_checker.h"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <deque>
#include <future>
#include <list>
#include <map>
#include <mutex>
#include <random>
#include <set>
#include <thread>

#include "catalog/ids.h"
#include "catalog/visibility.h"
#include "net/fetcher.h"
#include "net/url.h"
#include "quality/link_outcome.h"

namespace datamap::quality {
namespace {

using Clock = std::chrono::steady_clock;
using catalog::LinkAnswer;

constexpr std::size_t kMaxUrlLength = 2048;
constexpr std::size_t kSyncBatch = 200;  // datasets per set_links transaction

std::int64_t unix_now() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// The URLs a public dataset names: its landing page and every resource's url (http(s) only).
catalog::LinkRecords::DatasetLinks links_of(const catalog::Dataset& d) {
  catalog::LinkRecords::DatasetLinks out{d.id, d.name, d.owner_org, {}};
  auto add = [&](const std::string& url, const std::string& resource_id) {
    if (url.empty() || url.size() > kMaxUrlLength) return;
    auto parts = net::parse_http_url(url);
    if (!parts) return;
    out.links.push_back({url, parts->host, resource_id});
  };
  add(d.url, "");
  for (const catalog::Resource& r : d.resources) add(r.url, r.id);
  return out;
}

net::FetchOptions fetch_options(const LinkCheckerSettings& s) {
  net::FetchOptions o;
  o.connect_timeout = std::min(s.timeout, std::chrono::milliseconds(10'000));
  o.total_timeout = s.timeout;
  o.max_redirects = s.max_redirects;
  o.max_bytes = o.max_memory_bytes = std::max<std::int64_t>(s.read_bytes, 1) * 4;
  o.max_attempts = 1;  // the checker's own schedule retries, not the fetcher
  o.per_host_connections = s.per_host_connections;
  o.politeness_delay = std::chrono::milliseconds(
      s.per_host_rate > 0 ? static_cast<std::int64_t>(1000.0 / s.per_host_rate) : 0);
  o.max_connections = s.max_connections;
  o.user_agent = s.user_agent;
  o.policy = s.policy;
  return o;
}

}  // namespace

// One URL on its way through a check: HEAD, then perhaps a GET.
struct Check {
  catalog::DueLink due;
  net::CancelToken cancel = std::make_shared<std::atomic<bool>>(false);
  std::future<net::FetchResponse> pending;
  bool get_sent = false;
  net::FetchResponse head;
};

struct LinkChecker::Impl {
  catalog::Store& store;
  catalog::LinkRecords& records;
  LinkCheckerSettings settings;
  net::Fetcher fetcher;

  mutable std::mutex mutex;
  std::condition_variable wake;
  bool stopping = false;
  bool notified = false;
  LinkCheckerStats stats;  // guarded by mutex

  // Worker-thread only.
  std::map<std::string, std::deque<catalog::DueLink>> queued;  // host -> waiting URLs
  std::size_t queued_total = 0;
  Clock::time_point last_top_up{};
  std::map<std::string, int> running_per_host;
  std::map<std::string, Clock::time_point> paused_until;  // hosts that said 429 / 503
  std::list<Check> running;
  std::mt19937 jitter{std::random_device{}()};
  std::thread worker;

  Impl(catalog::Store& st, catalog::LinkRecords& r, LinkCheckerSettings s)
      : store(st), records(r), settings(std::move(s)), fetcher(fetch_options(settings)) {}

  // ---- keeping the records in step with the catalog

  void full_sync() {
    const std::int64_t head = store.head_revision();
    std::vector<catalog::LinkRecords::DatasetLinks> batch;
    store.for_each_dataset([&](const catalog::Dataset& d) {
      if (!catalog::is_public(d)) return;
      batch.push_back(links_of(d));
      if (batch.size() >= kSyncBatch) {
        records.set_links(batch);
        batch.clear();
      }
    });
    if (!batch.empty()) records.set_links(batch);
    records.set_applied_revision(std::max<std::int64_t>(head, 1));
  }

  // Applies up to one batch of the change log; true when there may be more.
  bool sync() {
    const std::int64_t applied = records.applied_revision();
    if (applied == 0) {
      full_sync();
      return true;
    }
    auto changes = store.changes_since(applied, 1000);
    if (changes.empty()) return false;
    std::set<std::string> ids;
    for (const catalog::Change& c : changes)
      if (c.entity == "dataset" && c.kind != "links") ids.insert(c.id);
    std::vector<catalog::LinkRecords::DatasetLinks> batch;
    for (const std::string& id : ids) {
      auto d = store.dataset(id);
      if (d && catalog::is_public(*d)) {
        batch.push_back(links_of(*d));
      } else {
        drop_queued(records.remove_dataset(id));
      }
      if (batch.size() >= kSyncBatch) {
        records.set_links(batch);
        batch.clear();
      }
    }
    if (!batch.empty()) records.set_links(batch);
    records.set_applied_revision(changes.back().revision);
    return changes.size() == 1000;
  }

  // URLs no dataset names any more: their queued checks go, their running ones are cancelled
  // (and record() would refuse them anyway).
  void drop_queued(const std::vector<std::string>& urls) {
    if (urls.empty()) return;
    std::set<std::string> gone(urls.begin(), urls.end());
    std::int64_t dropped = 0;
    for (auto it = queued.begin(); it != queued.end();) {
      auto& q = it->second;
      const std::size_t before = q.size();
      std::erase_if(q, [&](const catalog::DueLink& d) { return gone.count(d.url) > 0; });
      dropped += static_cast<std::int64_t>(before - q.size());
      queued_total -= before - q.size();
      it = q.empty() ? queued.erase(it) : std::next(it);
    }
    for (Check& c : running)
      if (gone.count(c.due.url)) c.cancel->store(true);
    std::lock_guard lock(mutex);
    stats.dropped += dropped;
  }

  // ---- the schedule

  // Claims due URLs into the per-host queues, each host up to queue_per_host (a paused host
  // gets none). At most every 100 ms unless the queues ran dry: a claim reads the schedule.
  void top_up() {
    const auto now = Clock::now();
    if (queued_total > 0 && now - last_top_up < std::chrono::milliseconds(100)) return;
    if (queued_total >= static_cast<std::size_t>(settings.max_queue)) return;
    last_top_up = now;
    std::map<std::string, int> full;
    for (const auto& [host, q] : queued) full[host] = static_cast<int>(q.size());
    for (const auto& [host, until] : paused_until)
      if (until > now) full[host] = settings.queue_per_host;
    // A claim lasts long enough for a full queue to drain at the slowest pace allowed.
    const int lease = static_cast<int>(std::min<std::int64_t>(
        24 * 3600, 600 + settings.queue_per_host * (settings.timeout.count() / 1000 + 1)));
    const auto room = static_cast<std::int64_t>(settings.max_queue - queued_total);
    // The scan is sized to the room: a few slots free cost a short read, and the scan's cursor
    // goes round the schedule so each host's turn still comes.
    auto due = records.due_urls(unix_now(), room, settings.queue_per_host, full, lease,
                                std::min<std::int64_t>(20'000, room * 16 + 256));
    for (catalog::DueLink& d : due) {
      queued[d.host].push_back(std::move(d));
      ++queued_total;
    }
  }

  void dispatch() {
    const auto now = Clock::now();
    for (auto it = queued.begin(); it != queued.end();) {
      const std::string& host = it->first;
      auto& q = it->second;
      auto pause = paused_until.find(host);
      if (pause != paused_until.end()) {
        if (pause->second > now) {
          ++it;
          continue;
        }
        paused_until.erase(pause);
      }
      while (!q.empty() && static_cast<int>(running.size()) < settings.max_connections &&
             running_per_host[host] < settings.per_host_connections) {
        Check& c = running.emplace_back();
        c.due = std::move(q.front());
        q.pop_front();
        --queued_total;
        ++running_per_host[host];
        c.pending = fetcher.fetch_async(request(c, /*head=*/true));
      }
      it = q.empty() ? queued.erase(it) : std::next(it);
    }
  }

  net::FetchRequest request(const Check& c, bool head) const {
    net::FetchRequest r;
    r.url = c.due.url;
    r.head = head;
    r.cancel = c.cancel;
    if (!head) {
      r.read_at_most = settings.read_bytes;
      r.headers.push_back("Range: bytes=0-" + std::to_string(settings.read_bytes - 1));
    }
    return r;
  }

  // Collects finished fetches: a HEAD may lead to a GET; a finished check is recorded.
  void collect() {
    for (auto it = running.begin(); it != running.end();) {
      Check& c = *it;
      if (c.pending.wait_for(std::chrono::seconds(0)) != std::future_status::ready) {
        ++it;
        continue;
      }
      net::FetchResponse r = c.pending.get();
      if (!c.get_sent && !c.cancel->load() && wants_get(r)) {
        c.head = std::move(r);
        c.get_sent = true;
        c.pending = fetcher.fetch_async(request(c, /*head=*/false));
        ++it;
        continue;
      }
      finish(c, r);
      --running_per_host[c.due.host];
      if (running_per_host[c.due.host] <= 0) running_per_host.erase(c.due.host);
      it = running.erase(it);
    }
  }

  void finish(const Check& c, const net::FetchResponse& r) {
    if (r.error == net::FetchError::kAborted) {  // its dataset went, or we are stopping
      std::lock_guard lock(mutex);
      ++stats.dropped;
      return;
    }
    LinkOutcome o = outcome_of(r, c.due.answer);
    if (c.get_sent) o.check.response_ms += c.head.elapsed_ms;
    if (o.rate_limited) {
      auto pause = std::chrono::seconds(
          std::clamp<long>(r.retry_after > 0 ? r.retry_after : 60, 1,
                           static_cast<long>(settings.max_host_pause.count())));
      paused_until[c.due.host] = Clock::now() + pause;
    }
    const int streak = o.check.answer == c.due.answer ? c.due.streak + 1 : 1;
    o.check.checked_at = catalog::now_iso8601();
    const std::int64_t next = unix_now() + next_delay(o, streak, r.retry_after);
    const bool recorded = records.record(c.due.url, o.check, streak, next, settings.history);
    std::lock_guard lock(mutex);
    ++(recorded ? stats.checks : stats.dropped);
  }

  // Broken URLs soon, then less often (interval/16, /8, ... up to interval); URLs that answer
  // at the interval, then ever more rarely (up to 4x); rate-limited ones after Retry-After.
  // +-10% jitter keeps URLs checked together from staying together.
  std::int64_t next_delay(const LinkOutcome& o, int streak, long retry_after) {
    const double interval = static_cast<double>(settings.interval.count());
    double d;
    if (o.rate_limited)
      d = std::max(static_cast<double>(retry_after), interval / 16);
    else if (o.check.answer == LinkAnswer::kNo)
      d = interval / 16 * static_cast<double>(1 << std::min(streak - 1, 4));
    else
      d = interval * std::min(streak, 4);
    std::uniform_real_distribution<double> spread(0.9, 1.1);
    return std::max<std::int64_t>(1, static_cast<std::int64_t>(d * spread(jitter)));
  }

  // ---- the loop

  void run() {
    bool more = false, woken = true;
    auto last_sync = Clock::now();
    while (true) {
      try {
        // The change log is read when woken, while it has more, and every 200 ms besides.
        if (more || woken || Clock::now() - last_sync >= std::chrono::milliseconds(200)) {
          last_sync = Clock::now();
          more = sync();
        }
        top_up();
        dispatch();
        collect();
      } catch (const std::exception&) {
        // A busy or failing catalog: try again at the next turn; the schedule is in the records.
        more = false;
      }
      std::unique_lock lock(mutex);
      stats.queued = static_cast<std::int64_t>(queued_total);
      stats.running = static_cast<std::int64_t>(running.size());
      if (stopping) break;
      // While checks run, look at them often; otherwise wake for the next poll or a notify().
      auto wait = more               ? std::chrono::milliseconds(0)
                  : !running.empty() ? std::chrono::milliseconds(2)
                  : queued_total > 0 ? std::chrono::milliseconds(50)
                                     : settings.idle_poll;
      wake.wait_for(lock, wait, [&] { return stopping || notified; });
      woken = notified;
      notified = false;
    }
    for (Check& c : running) c.cancel->store(true);
    for (Check& c : running) c.pending.wait();
    running.clear();
  }
};

LinkChecker::LinkChecker(catalog::Store& store, catalog::LinkRecords& records,
                         LinkCheckerSettings settings)
    : store_(store),
      records_(records),
      impl_(std::make_unique<Impl>(store, records, std::move(settings))) {}

LinkChecker::~LinkChecker() {
  stop();
}

void LinkChecker::start() {
  if (impl_->worker.joinable()) return;
  impl_->worker = std::thread([this] { impl_->run(); });
}

void LinkChecker::stop() {
  {
    std::lock_guard lock(impl_->mutex);
    impl_->stopping = true;
  }
  impl_->wake.notify_all();
  if (impl_->worker.joinable()) impl_->worker.join();
}

void LinkChecker::notify() {
  {
    std::lock_guard lock(impl_->mutex);
    impl_->notified = true;
  }
  impl_->wake.notify_all();
}

LinkCheckerStats LinkChecker::stats() const {
  std::lock_guard lock(impl_->mutex);
  LinkCheckerStats s = impl_->stats;
  return s;
}

}  // namespace datamap::quality
