// Reads tables back from the kernel with libnftnl's parsers, and writes them into a batch again.
#include "backends/netlink/snapshot.hpp"

#include <fmt/format.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netlink.h>

#include <set>

#include "backends/netlink/batch_writer.hpp"

namespace ipt2nft::netlink {

struct Snapshot::Table {
    TableName name;
    TablePtr table;  // null: the kernel does not hold it
    std::vector<ObjectPtr> objects;
    std::vector<ChainPtr> chains;
    std::vector<SetPtr> sets;  // with their elements
    std::vector<RulePtr> rules;
};

Snapshot::Snapshot() = default;
Snapshot::~Snapshot() = default;
Snapshot::Snapshot(Snapshot&&) noexcept = default;
Snapshot& Snapshot::operator=(Snapshot&&) noexcept = default;

namespace {

// How each kind of object is read from a dump: its request, its parser, its table.
template <class T>
struct Kind;
template <>
struct Kind<nftnl_table> {
    static constexpr uint16_t get = NFT_MSG_GETTABLE;
    static nftnl_table* alloc() { return nftnl_table_alloc(); }
    static int parse(const nlmsghdr* h, nftnl_table* p) { return nftnl_table_nlmsg_parse(h, p); }
    static const char* table(nftnl_table* p) { return nftnl_table_get_str(p, NFTNL_TABLE_NAME); }
};
template <>
struct Kind<nftnl_obj> {
    static constexpr uint16_t get = NFT_MSG_GETOBJ;
    static nftnl_obj* alloc() { return nftnl_obj_alloc(); }
    static int parse(const nlmsghdr* h, nftnl_obj* p) { return nftnl_obj_nlmsg_parse(h, p); }
    static const char* table(nftnl_obj* p) { return nftnl_obj_get_str(p, NFTNL_OBJ_TABLE); }
};
template <>
struct Kind<nftnl_chain> {
    static constexpr uint16_t get = NFT_MSG_GETCHAIN;
    static nftnl_chain* alloc() { return nftnl_chain_alloc(); }
    static int parse(const nlmsghdr* h, nftnl_chain* p) { return nftnl_chain_nlmsg_parse(h, p); }
    static const char* table(nftnl_chain* p) { return nftnl_chain_get_str(p, NFTNL_CHAIN_TABLE); }
};
template <>
struct Kind<nftnl_set> {
    static constexpr uint16_t get = NFT_MSG_GETSET;
    static nftnl_set* alloc() { return nftnl_set_alloc(); }
    static int parse(const nlmsghdr* h, nftnl_set* p) { return nftnl_set_nlmsg_parse(h, p); }
    static const char* table(nftnl_set* p) { return nftnl_set_get_str(p, NFTNL_SET_TABLE); }
};
template <>
struct Kind<nftnl_rule> {
    static constexpr uint16_t get = NFT_MSG_GETRULE;
    static nftnl_rule* alloc() { return nftnl_rule_alloc(); }
    static int parse(const nlmsghdr* h, nftnl_rule* p) { return nftnl_rule_nlmsg_parse(h, p); }
    static const char* table(nftnl_rule* p) { return nftnl_rule_get_str(p, NFTNL_RULE_TABLE); }
};

// Where each kind of object goes in its table's snapshot.
void keep(Snapshot::Table& t, TablePtr p) {
    t.table = std::move(p);
}
void keep(Snapshot::Table& t, ObjectPtr p) {
    t.objects.push_back(std::move(p));
}
void keep(Snapshot::Table& t, ChainPtr p) {
    t.chains.push_back(std::move(p));
}
void keep(Snapshot::Table& t, SetPtr p) {
    t.sets.push_back(std::move(p));
}
void keep(Snapshot::Table& t, RulePtr p) {
    t.rules.push_back(std::move(p));
}

// Every object of its kind the kernel holds in `family`, each kept in the snapshot of its table
// when that is one asked for: one dump for all of them, which names no table, so that it is the
// same request on every kernel.
template <class Ptr>
bool read_kind(KernelSession& session, uint16_t family, Snapshot& snapshot) {
    using K = Kind<typename Ptr::element_type>;
    return session.dump(
        K::get, family, [](nlmsghdr*) {},
        [&](const nlmsghdr* h) {
            Ptr p(K::alloc());
            const char* table = K::parse(h, p.get()) < 0 ? nullptr : K::table(p.get());
            for (auto& t : snapshot.tables)
                if (table && t.name.family == family && t.name.name == table) {
                    keep(t, std::move(p));
                    return;
                }
        });
}

// A set's elements come in a dump of their own, asked for by table and set name.
bool read_elements(KernelSession& session, uint16_t family, nftnl_set* set) {
    return session.dump(
        NFT_MSG_GETSETELEM, family, [&](nlmsghdr* h) { nftnl_set_elems_nlmsg_build_payload(h, set); },
        [&](const nlmsghdr* h) { nftnl_set_elems_nlmsg_parse(h, set); });
}

bool read_tables(KernelSession& session, Snapshot& snapshot) {
    std::set<uint16_t> families;
    for (const auto& t : snapshot.tables) families.insert(t.name.family);
    for (uint16_t f : families)
        if (!read_kind<TablePtr>(session, f, snapshot) || !read_kind<ObjectPtr>(session, f, snapshot) ||
            !read_kind<ChainPtr>(session, f, snapshot) || !read_kind<SetPtr>(session, f, snapshot) ||
            !read_kind<RulePtr>(session, f, snapshot))
            return false;
    for (auto& t : snapshot.tables)
        for (auto& set : t.sets)
            if (!read_elements(session, t.name.family, set.get())) return false;
    return true;
}

MessageOrigin restoring(const TableName& t, const char* what, const char* name = nullptr) {
    return {Span{}, fmt::format("restore of table {}: {}{}{}", t.name, what, name ? " " : "", name ? name : "")};
}

// What only the kernel sets (handles, use counts, positions) is left out: it would name objects
// that are no longer there.
void add_saved_table(BatchWriter& w, const Snapshot::Table& t) {
    uint16_t family = t.name.family;
    nftnl_table_unset(t.table.get(), NFTNL_TABLE_HANDLE);
    nftnl_table_unset(t.table.get(), NFTNL_TABLE_USE);
    nftnl_table_nlmsg_build_payload(w.message(NFT_MSG_NEWTABLE, family, NLM_F_CREATE, restoring(t.name, "table")),
                                    t.table.get());
    w.next();
    for (const auto& o : t.objects) {
        // libnftnl 1.2.4 declares nftnl_obj_unset but does not export it; the kernel makes an object
        // by its name, whatever handle the message names.
        nftnl_obj_nlmsg_build_payload(
            w.message(NFT_MSG_NEWOBJ, family, NLM_F_CREATE,
                      restoring(t.name, "object", nftnl_obj_get_str(o.get(), NFTNL_OBJ_NAME))),
            o.get());
        w.next();
    }
    for (const auto& c : t.chains) {
        nftnl_chain_unset(c.get(), NFTNL_CHAIN_HANDLE);
        nftnl_chain_unset(c.get(), NFTNL_CHAIN_USE);
        nftnl_chain_nlmsg_build_payload(
            w.message(NFT_MSG_NEWCHAIN, family, NLM_F_CREATE,
                      restoring(t.name, "chain", nftnl_chain_get_str(c.get(), NFTNL_CHAIN_NAME))),
            c.get());
        w.next();
    }
    for (const auto& set : t.sets) {
        nftnl_set_unset(set.get(), NFTNL_SET_HANDLE);
        nftnl_set_set_u32(set.get(), NFTNL_SET_ID, w.new_set_id());  // the kernel wants one for every new set
        const char* name = nftnl_set_get_str(set.get(), NFTNL_SET_NAME);
        nftnl_set_nlmsg_build_payload(w.message(NFT_MSG_NEWSET, family, NLM_F_CREATE, restoring(t.name, "set", name)),
                                      set.get());
        w.next();
        w.elements(set.get(), family, restoring(t.name, "elements of set", name));
    }
    for (const auto& r : t.rules) {
        nftnl_rule_unset(r.get(), NFTNL_RULE_HANDLE);
        nftnl_rule_unset(r.get(), NFTNL_RULE_POSITION);
        nftnl_rule_nlmsg_build_payload(
            w.message(NFT_MSG_NEWRULE, family, NLM_F_CREATE | NLM_F_APPEND,
                      restoring(t.name, "rule in chain", nftnl_rule_get_str(r.get(), NFTNL_RULE_CHAIN))),
            r.get());
        w.next();
    }
}

}  // namespace

std::optional<Snapshot> take_snapshot(KernelSession& session, const std::vector<TableName>& tables) {
    // A change between the dumps would give a mix of two rulesets: read until a reading starts
    // and ends at the same generation.
    for (int attempt = 0; attempt < 10; ++attempt) {
        auto before = session.generation();
        if (!before) return std::nullopt;
        Snapshot snapshot;
        snapshot.generation = *before;
        for (const auto& name : tables) snapshot.tables.push_back(Snapshot::Table{name, nullptr, {}, {}, {}, {}});
        if (!read_tables(session, snapshot)) return std::nullopt;
        if (session.generation() == before) return snapshot;
    }
    return std::nullopt;
}

Batch restore_batch(const Snapshot& snapshot) {
    Batch batch = empty_batch();
    BatchWriter w(batch, nullptr);
    w.begin();
    for (const auto& t : snapshot.tables) {
        TablePtr named(nftnl_table_alloc());
        nftnl_table_set_str(named.get(), NFTNL_TABLE_NAME, t.name.name.c_str());
        nftnl_table_set_u32(named.get(), NFTNL_TABLE_FAMILY, t.name.family);
        // Made first, so that the delete finds it whatever the kernel holds now.
        for (uint16_t type : {NFT_MSG_NEWTABLE, NFT_MSG_DELTABLE}) {
            nftnl_table_nlmsg_build_payload(
                w.message(type, t.name.family, type == NFT_MSG_NEWTABLE ? NLM_F_CREATE : 0, restoring(t.name, "table")),
                named.get());
            w.next();
        }
        if (t.table) add_saved_table(w, t);
    }
    w.end();
    return batch;
}

}  // namespace ipt2nft::netlink
