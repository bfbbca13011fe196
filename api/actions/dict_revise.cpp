#include "api/actions/dict_revise.h"

#include <charconv>
#include <map>
#include <set>
#include <utility>

namespace datamap::api::actions {
namespace {

using rapidjson::Value;

std::vector<std::string> split_key(const std::string& key) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  for (;;) {
    auto at = key.find("__", start);
    parts.push_back(key.substr(start, at == std::string::npos ? std::string::npos : at - start));
    if (at == std::string::npos) return parts;
    start = at + 2;
  }
}

std::string join(const std::string& path, const std::string& part) {
  return path.empty() ? part : path + "__" + part;
}

[[noreturn]] void unmatched_key_error(const std::string& path) {
  throw DictError("Unmatched key " + path);
}

// The index of list item `part` (an index, or an id prefix of 5 characters or more).
std::size_t list_index(const Value& list, const std::string& part, const std::string& path) {
  const auto size = static_cast<long long>(list.Size());
  if (part.size() >= 5) {
    for (rapidjson::SizeType i = 0; i < list.Size(); ++i) {
      const Value& item = list[i];
      auto id = item.IsObject() ? item.FindMember("id") : Value::ConstMemberIterator();
      if (!item.IsObject() || id == item.MemberEnd() || !id->value.IsString())
        unmatched_key_error(join(path, part));
      std::string_view text(id->value.GetString(), id->value.GetStringLength());
      if (text.rfind(part, 0) == 0) return i;
    }
    unmatched_key_error(join(path, part));
  }
  long long index = 0;
  auto [end, ec] = std::from_chars(part.data(), part.data() + part.size(), index);
  if (ec != std::errc() || end != part.data() + part.size() || index < -size || index >= size)
    unmatched_key_error(join(path, part));
  return static_cast<std::size_t>(index < 0 ? index + size : index);
}

// The value at `parts` in `data`, and its path with list parts as indexes.
std::pair<Value*, std::string> resolve(Value& data, const std::vector<std::string>& parts) {
  Value* current = &data;
  std::string path;
  for (const auto& part : parts) {
    if (current->IsObject()) {
      auto it = current->FindMember(part.c_str());
      if (it == current->MemberEnd()) unmatched_key_error(join(path, part));
      current = &it->value;
      path = join(path, part);
    } else if (current->IsArray()) {
      auto i = list_index(*current, part, path);
      current = &(*current)[static_cast<rapidjson::SizeType>(i)];
      path = join(path, std::to_string(i));
    } else {
      unmatched_key_error(join(path, part));
    }
  }
  return {current, path};
}

void check(const Value& data, const Value& expected, const std::string& path,
           std::vector<std::string>& out) {
  if (expected.IsObject()) {
    if (!data.IsObject()) {
      out.push_back(path);
      return;
    }
    for (const auto& m : expected.GetObject()) {
      std::string key = join(path, std::string(m.name.GetString(), m.name.GetStringLength()));
      auto it = data.FindMember(m.name);
      if (it == data.MemberEnd())
        out.push_back(key);
      else
        check(it->value, m.value, key, out);
    }
  } else if (expected.IsArray()) {
    if (!data.IsArray()) {
      out.push_back(path);
      return;
    }
    for (rapidjson::SizeType i = 0; i < expected.Size(); ++i) {
      std::string key = join(path, std::to_string(i));
      if (i >= data.Size())
        out.push_back(key);
      else
        check(data[i], expected[i], key, out);
    }
  } else if (data != expected) {
    out.push_back(path);
  }
}

void merge_list(Value& data, const Value& update, JsonAlloc& a, const std::string& path) {
  if (!update.IsArray()) throw DictError("Expected list for " + path);
  for (rapidjson::SizeType i = 0; i < update.Size(); ++i) {
    if (i >= data.Size()) {
      data.PushBack(Value(update[i], a), a);
    } else if (data[i].IsObject()) {
      update_merge(data[i], update[i], a, join(path, std::to_string(i)));
    } else if (data[i].IsArray()) {
      merge_list(data[i], update[i], a, join(path, std::to_string(i)));
    } else {
      data[i].CopyFrom(update[i], a);
    }
  }
}

// One member or item of a merge: dicts and lists merge into what is there, anything else
// replaces it.
void merge_into(Value& target, const Value& value, JsonAlloc& a, const std::string& path) {
  if (target.IsObject())
    update_merge(target, value, a, path);
  else if (target.IsArray())
    merge_list(target, value, a, path);
  else
    target.CopyFrom(value, a);
}

struct Glob {
  bool keep;
  std::vector<std::string> parts;  // never empty
};

void filter(Value& data, const std::vector<Glob>& globs);

void filter_object(Value& data, const std::vector<Glob>& globs) {
  std::set<std::string> removed, kept;
  std::map<std::string, std::vector<Glob>> children;
  auto present = [&](const std::string& name) {
    return data.HasMember(name.c_str()) && !removed.count(name);
  };
  for (const auto& g : globs) {
    const std::string& head = g.parts.front();
    if (head == "*") {
      for (const auto& m : data.GetObject()) {
        std::string name(m.name.GetString(), m.name.GetStringLength());
        if (g.keep && present(name)) kept.insert(name);
        if (!g.keep) removed.insert(name);
      }
      continue;
    }
    if (!present(head)) continue;
    if (g.parts.size() > 1)
      children[head].push_back({g.keep, {g.parts.begin() + 1, g.parts.end()}});
    else if (g.keep)
      kept.insert(head);
    else
      removed.insert(head);
  }
  for (const auto& name : removed)
    if (!kept.count(name)) data.RemoveMember(name.c_str());
  for (auto& [name, child_globs] : children) {
    auto it = data.FindMember(name.c_str());
    if (it != data.MemberEnd()) filter(it->value, child_globs);
  }
}

void filter_list(Value& data, const std::vector<Glob>& globs) {
  std::set<std::size_t> removed, kept;
  std::map<std::size_t, std::vector<Glob>> children;
  for (const auto& g : globs) {
    const std::string& head = g.parts.front();
    if (head == "*") {
      for (std::size_t i = 0; i < data.Size(); ++i) {
        if (g.keep && !removed.count(i)) kept.insert(i);
        if (!g.keep && !kept.count(i)) removed.insert(i);
      }
      continue;
    }
    std::size_t i = 0;
    try {
      i = list_index(data, head, "");
    } catch (const DictError&) {
      continue;  // CKAN: a pattern naming no item removes nothing
    }
    if (g.parts.size() > 1)
      children[i].push_back({g.keep, {g.parts.begin() + 1, g.parts.end()}});
    else if (g.keep && !removed.count(i))
      kept.insert(i);
    else if (!g.keep && !kept.count(i))
      removed.insert(i);
  }
  for (auto& [i, child_globs] : children)
    if (!removed.count(i) || kept.count(i))
      filter(data[static_cast<rapidjson::SizeType>(i)], child_globs);
  for (auto i = data.Size(); i-- > 0;)
    if (removed.count(i) && !kept.count(i)) data.Erase(data.Begin() + i);
}

void filter(Value& data, const std::vector<Glob>& globs) {
  if (data.IsObject())
    filter_object(data, globs);
  else if (data.IsArray())
    filter_list(data, globs);
}

}  // namespace

std::vector<std::string> unmatched(const Value& data, const Value& expected) {
  std::vector<std::string> out;
  check(data, expected, "", out);
  return out;
}

std::vector<std::string> unmatched_key(const Value& data, const std::string& key,
                                       const Value& expected) {
  // resolve() only reads; it takes a mutable value to serve update_key too.
  auto [current, path] = resolve(const_cast<Value&>(data), split_key(key));
  std::vector<std::string> out;
  check(*current, expected, path, out);
  return out;
}

void filter_glob(Value& data, const std::vector<std::string>& patterns) {
  std::vector<Glob> globs;
  for (const auto& p : patterns) {
    bool keep = !p.empty() && p.front() == '+';
    auto start = p.find_first_not_of("+-");
    if (start == std::string::npos) continue;
    globs.push_back({keep, split_key(p.substr(start))});
  }
  filter(data, globs);
}

void update_merge(Value& data, const Value& update, JsonAlloc& a, const std::string& path) {
  if (!update.IsObject()) throw DictError("Expected dict for " + path);
  for (const auto& m : update.GetObject()) {
    auto it = data.FindMember(m.name);
    if (it == data.MemberEnd())
      data.AddMember(Value(m.name, a), Value(m.value, a), a);
    else
      merge_into(it->value, m.value, a,
                 join(path, std::string(m.name.GetString(), m.name.GetStringLength())));
  }
}

void update_key(Value& data, const std::string& key, const Value& value, JsonAlloc& a) {
  auto parts = split_key(key);
  std::string last = parts.back();
  parts.pop_back();
  auto [current, path] =
      parts.empty() ? std::pair<Value*, std::string>{&data, ""} : resolve(data, parts);
  if (current->IsObject()) {
    auto it = current->FindMember(last.c_str());
    if (it == current->MemberEnd())
      current->AddMember(Value(last.c_str(), a), Value(value, a), a);
    else
      merge_into(it->value, value, a, join(path, last));
  } else if (current->IsArray()) {
    if (last == "extend") {
      if (!value.IsArray()) throw DictError("Expected list for " + path);
      for (const auto& item : value.GetArray()) current->PushBack(Value(item, a), a);
      return;
    }
    auto i = list_index(*current, last, path);
    merge_into((*current)[static_cast<rapidjson::SizeType>(i)], value, a,
               join(path, std::to_string(i)));
  } else {
    throw DictError("Expected list or dict for " + path);
  }
}

}  // namespace datamap::api::actions
