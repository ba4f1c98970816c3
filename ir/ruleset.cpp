// Ruleset look-ups: chains by a hash index, tables linearly (a ruleset has a handful).
#include "ir/ruleset.hpp"

namespace ipt2nft {

Chain* Table::find(std::string_view chain) {
    size_t i = index(chain);
    return i == npos ? nullptr : &chains[i];
}

size_t Table::index(std::string_view chain) const {
    if (last_found_ < chains.size() && chains[last_found_].name == chain) return last_found_;
    // iptables-save lists the rules chain by chain in the order the chains were declared.
    if (size_t next = last_found_ + 1; next < chains.size() && chains[next].name == chain) return last_found_ = next;
    auto it = index_.find(chain);
    if (it == index_.end()) return npos;
    return last_found_ = it->second;
}

Chain& Table::add(Chain chain) {
    index_[chain.name] = chains.size();
    chains.push_back(std::move(chain));
    return chains.back();
}

void Table::remove(std::string_view chain) {
    std::erase_if(chains, [&](const Chain& c) { return c.name == chain; });
    reindex();
}

void Table::rename(std::string_view from, std::string_view to) {
    if (Chain* c = find(from)) c->name = to;
    reindex();
}

void Table::reindex() {
    index_.clear();
    for (size_t i = 0; i < chains.size(); ++i) index_[chains[i].name] = i;
}
const Chain* Table::find(std::string_view chain) const {
    return const_cast<Table*>(this)->find(chain);
}

Table* Ruleset::find(Family family, std::string_view table) {
    for (auto& t : tables)
        if (t.family == family && t.name == table) return &t;
    return nullptr;
}
const Table* Ruleset::find(Family family, std::string_view table) const {
    return const_cast<Ruleset*>(this)->find(family, table);
}

const char* family_name(Family f) {
    return f == Family::ipv4 ? "ip" : "ip6";
}

static bool same_conditions(const std::vector<Condition>& a, const std::vector<Condition>& b) {
    if (a.size() != b.size()) return false;
    for (size_t i = 0; i < a.size(); ++i)
        if (!(a[i].test == b[i].test)) return false;
    return true;
}

static bool same_statements(const std::vector<Statement>& a, const std::vector<Statement>& b) {
    if (a.size() != b.size()) return false;
    for (size_t i = 0; i < a.size(); ++i)
        if (!(a[i].action == b[i].action)) return false;
    return true;
}

bool Rule::same_spec(const Rule& other) const {
    return target == other.target && origin.comment == other.origin.comment &&
           same_conditions(conditions, other.conditions) && same_statements(statements, other.statements);
}

}  // namespace ipt2nft
