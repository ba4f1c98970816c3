// Builds the netlink batch of a ruleset with libnftnl, message by message, each with its origin.
#include "backends/netlink/batch.hpp"

#include <fmt/format.h>
#include <libmnl/libmnl.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netlink.h>
#include <unistd.h>

#include <algorithm>
#include <new>
#include <set>

#include "backends/netlink/batch_writer.hpp"
#include "backends/netlink/expression_message.hpp"
#include "backends/netlink/nftnl.hpp"
#include "backends/vm/lower_ipset.hpp"
#include "backends/vm/lower_meter_set.hpp"
#include "backends/vm/lower_rule.hpp"
#include "ir/dynamic_sets.hpp"
#include "ir/meters.hpp"
#include "ir/netfilter_tables.hpp"
#include "util/display_width.hpp"

namespace ipt2nft::netlink {

void BatchDeleter::operator()(nftnl_batch* b) const {
    nftnl_batch_free(b);
}

const MessageOrigin* Batch::origin(uint32_t sequence) const {
    uint32_t index = sequence - first_sequence;
    return sequence >= first_sequence && index < origins.size() ? &origins[index] : nullptr;
}

namespace {

// nft's numbers for data types (its datatype.h), which it keeps in a set's key type and lists
// the set's elements by: the kernel only stores them.
uint32_t nft_type_id(Datatype t) {
    switch (t) {
        case Datatype::integer: return 4;
        case Datatype::mark: return 19;
        case Datatype::ipv4_address: return 7;
        case Datatype::ipv6_address: return 8;
        case Datatype::ether_address: return 9;
        case Datatype::ifname: return 41;
        case Datatype::os_genre: return 5;  // a string
        case Datatype::inet_proto: return 12;
        case Datatype::inet_service: return 13;
        case Datatype::icmp_type: return 14;
        case Datatype::icmpv6_type: return 29;
        case Datatype::icmp_code: return 32;
        case Datatype::icmpv6_code: return 33;
        case Datatype::tcp_flags: return 15;
        case Datatype::dccp_pkttype: return 16;
        case Datatype::ct_state: return 26;
        case Datatype::ct_status: return 28;
        case Datatype::ct_direction: return 27;
        case Datatype::pkttype: return 31;
        case Datatype::fib_addrtype: return 38;
        case Datatype::time_ms: return 18;
        case Datatype::priority: return 23;
        case Datatype::boolean: return 39;
        case Datatype::realm: return 22;
        case Datatype::time_date: return 43;
        case Datatype::time_hour: return 44;
        case Datatype::time_day: return 45;
    }
    return 0;
}

// A concatenation's type is its fields' types, six bits each, the first field highest.
uint32_t key_type(const vm::AnonymousSet& s) {
    uint32_t type = 0;
    for (Datatype t : s.key_types) type = (type << 6) | nft_type_id(t);
    return type;
}

TableName kernel_table(const Table& t) {
    return {nfproto(t.family), t.name};
}

// As iptables-restore replaces a table: made if missing, so that the delete finds it, then made
// again (with `remake` false, left deleted); with --noflush only made if missing.
void add_table(BatchWriter& w, const TableName& k, Span declared, bool replace, bool remake = true) {
    TablePtr table(nftnl_table_alloc());
    nftnl_table_set_str(table.get(), NFTNL_TABLE_NAME, k.name.c_str());
    nftnl_table_set_u32(table.get(), NFTNL_TABLE_FAMILY, k.family);
    std::string what = fmt::format("table {} {}", nfproto_name(k.family), k.name);
    std::vector<uint16_t> types{NFT_MSG_NEWTABLE};
    if (replace) types = {NFT_MSG_NEWTABLE, NFT_MSG_DELTABLE};
    if (replace && remake) types.push_back(NFT_MSG_NEWTABLE);
    for (uint16_t type : types) {
        nlmsghdr* h = w.message(type, k.family, type == NFT_MSG_NEWTABLE ? NLM_F_CREATE : 0, {declared, what});
        nftnl_table_nlmsg_build_payload(h, table.get());
        w.next();
    }
}

// A chain of the table; a built-in one with its hook, priority, type and, when given, policy.
ChainPtr chain_object(const TableName& k, const std::string& name, std::optional<VerdictKind> policy) {
    ChainPtr chain(nftnl_chain_alloc());
    nftnl_chain_set_str(chain.get(), NFTNL_CHAIN_TABLE, k.name.c_str());
    nftnl_chain_set_str(chain.get(), NFTNL_CHAIN_NAME, name.c_str());
    nftnl_chain_set_u32(chain.get(), NFTNL_CHAIN_FAMILY, k.family);
    if (const BuiltinChain* b = find_builtin_chain(k.name, name)) {
        nftnl_chain_set_u32(chain.get(), NFTNL_CHAIN_HOOKNUM, static_cast<uint32_t>(b->hook));
        nftnl_chain_set_s32(chain.get(), NFTNL_CHAIN_PRIO, b->priority);
        nftnl_chain_set_str(chain.get(), NFTNL_CHAIN_TYPE, std::string(b->type).c_str());
        if (policy)
            nftnl_chain_set_u32(chain.get(), NFTNL_CHAIN_POLICY, *policy == VerdictKind::drop ? NF_DROP : NF_ACCEPT);
    }
    return chain;
}

void add_chain(BatchWriter& w, const TableName& k, const std::string& name, std::optional<VerdictKind> policy,
               MessageOrigin origin) {
    ChainPtr chain = chain_object(k, name, policy);
    nlmsghdr* h = w.message(NFT_MSG_NEWCHAIN, k.family, NLM_F_CREATE, std::move(origin));
    nftnl_chain_nlmsg_build_payload(h, chain.get());
    w.next();
}

// Deletes the rules of the table, or of one chain of it.
void flush_rules(BatchWriter& w, const TableName& k, const std::string* chain, MessageOrigin origin) {
    RulePtr rule(nftnl_rule_alloc());
    nftnl_rule_set_str(rule.get(), NFTNL_RULE_TABLE, k.name.c_str());
    if (chain) nftnl_rule_set_str(rule.get(), NFTNL_RULE_CHAIN, chain->c_str());
    nftnl_rule_set_u32(rule.get(), NFTNL_RULE_FAMILY, k.family);
    nlmsghdr* h = w.message(NFT_MSG_DELRULE, k.family, 0, std::move(origin));
    nftnl_rule_nlmsg_build_payload(h, rule.get());
    w.next();
}

// --noflush: what the input did to the kernel's chains beyond adding rules, in its order.
void add_kernel_edits(BatchWriter& w, const Table& t) {
    TableName k = kernel_table(t);
    for (const KernelEdit& e : t.kernel_edits) {
        std::string chain(e.chain);
        switch (e.kind) {
            case KernelEdit::Kind::flush_table:
                flush_rules(w, k, nullptr, {t.declared, "flush of table " + t.name});
                break;
            case KernelEdit::Kind::flush_chain:
                // A built-in chain the kernel may not hold yet is made with its hook, as iptables does.
                add_chain(w, k, chain, std::nullopt, {t.declared, "chain " + chain});
                flush_rules(w, k, &chain, {t.declared, "flush of chain " + chain});
                break;
            case KernelEdit::Kind::delete_chain: {
                ChainPtr gone = chain_object(k, chain, std::nullopt);
                nlmsghdr* h = w.message(NFT_MSG_DELCHAIN, k.family, 0, {t.declared, "deletion of chain " + chain});
                nftnl_chain_nlmsg_build_payload(h, gone.get());
                w.next();
                break;
            }
        }
    }
}

// Each helper object of the tables' rules once, before any rule names it, its message from the
// first rule naming it; of the kernel table's family (an inet table's for both), as nft makes it.
void add_helper_objects(BatchWriter& w, const TableName& k, const std::vector<const Table*>& tables) {
    std::set<CtHelper> made;
    for (const Table* t : tables)
        for (const auto& ch : t->chains)
            for (const auto& r : ch.rules)
                for (const auto& s : r.statements) {
                    auto* h = std::get_if<CtHelper>(&s.action);
                    if (!h || !made.insert(*h).second) continue;
                    ObjectPtr o(nftnl_obj_alloc());
                    nftnl_obj_set_str(o.get(), NFTNL_OBJ_TABLE, k.name.c_str());
                    nftnl_obj_set_str(o.get(), NFTNL_OBJ_NAME, helper_object_name(*h).c_str());
                    nftnl_obj_set_u32(o.get(), NFTNL_OBJ_TYPE, NFT_OBJECT_CT_HELPER);
                    nftnl_obj_set_u32(o.get(), NFTNL_OBJ_FAMILY, k.family);
                    nftnl_obj_set_str(o.get(), NFTNL_OBJ_CT_HELPER_NAME, std::string(h->helper).c_str());
                    nftnl_obj_set_u16(o.get(), NFTNL_OBJ_CT_HELPER_L3PROTO, k.family);
                    nftnl_obj_set_u8(o.get(), NFTNL_OBJ_CT_HELPER_L4PROTO, h->protocol);
                    nlmsghdr* m =
                        w.message(NFT_MSG_NEWOBJ, k.family, NLM_F_CREATE, {r.origin.span, "ct helper object of rule"});
                    nftnl_obj_nlmsg_build_payload(m, o.get());
                    w.next();
                }
}

// The set of each recent list, before the rules that name it.
void add_dynamic_sets(BatchWriter& w, const TableName& k, const Table& t) {
    for (const DynamicSet& s : dynamic_sets(t)) {
        SetPtr set(nftnl_set_alloc());
        nftnl_set_set_str(set.get(), NFTNL_SET_TABLE, k.name.c_str());
        nftnl_set_set_str(set.get(), NFTNL_SET_NAME, std::string(s.name).c_str());
        nftnl_set_set_u32(set.get(), NFTNL_SET_ID, w.new_set_id());
        nftnl_set_set_u32(set.get(), NFTNL_SET_FAMILY, k.family);
        nftnl_set_set_u32(set.get(), NFTNL_SET_KEY_LEN, s.key == Datatype::ipv4_address ? 4 : 16);
        nftnl_set_set_u32(set.get(), NFTNL_SET_KEY_TYPE, nft_type_id(s.key));
        nftnl_set_set_u32(set.get(), NFTNL_SET_FLAGS,
                          (s.added_to ? NFT_SET_EVAL : 0) | (s.timeout ? NFT_SET_TIMEOUT : 0));
        if (s.timeout) nftnl_set_set_u64(set.get(), NFTNL_SET_TIMEOUT, *s.timeout * 1000ull);
        if (s.added_to) nftnl_set_set_u32(set.get(), NFTNL_SET_DESC_SIZE, dynamic_set_size);
        UdataPtr udata(nftnl_udata_buf_alloc(NFT_USERDATA_MAXLEN));
        nftnl_udata_put_u32(udata.get(), NFTNL_UDATA_SET_KEYBYTEORDER, 2);  // big endian, as nft says
        nftnl_set_set_data(set.get(), NFTNL_SET_USERDATA, nftnl_udata_buf_data(udata.get()),
                           nftnl_udata_buf_len(udata.get()));
        nlmsghdr* h = w.message(NFT_MSG_NEWSET, k.family, NLM_F_CREATE,
                                {s.first_use, "set of recent list " + std::string(s.name)});
        nftnl_set_nlmsg_build_payload(h, set.get());
        w.next();
    }
}

// A set's key, as nft describes it to the kernel.
void describe_key(nftnl_set* set, const vm::AnonymousSet& s) {
    nftnl_set_set_u32(set, NFTNL_SET_KEY_LEN, s.key_length);
    nftnl_set_set_u32(set, NFTNL_SET_KEY_TYPE, key_type(s));
    if (s.concatenated)
        nftnl_set_set_data(set, NFTNL_SET_DESC_CONCAT, s.field_lengths.data(),
                           static_cast<uint32_t>(s.field_lengths.size()));
    UdataPtr udata(nftnl_udata_buf_alloc(NFT_USERDATA_MAXLEN));
    // nft's byte order numbers: 1 the host's, 2 big endian.
    nftnl_udata_put_u32(udata.get(), NFTNL_UDATA_SET_KEYBYTEORDER, s.key_order == ipt2nft::ByteOrder::host ? 1 : 2);
    nftnl_set_set_data(set, NFTNL_SET_USERDATA, nftnl_udata_buf_data(udata.get()), nftnl_udata_buf_len(udata.get()));
}

// A set's elements, with their own timeouts and comments where `named` gives them.
void add_elements(BatchWriter& w, const TableName& k, nftnl_set* set, const vm::AnonymousSet& s,
                  const vm::NamedSet* named, MessageOrigin origin) {
    for (size_t i = 0; i < s.elements.size(); ++i) {
        const auto& e = s.elements[i];
        nftnl_set_elem* elem = nftnl_set_elem_alloc();
        nftnl_set_elem_set(elem, NFTNL_SET_ELEM_KEY, e.key.data(), static_cast<uint32_t>(e.key.size()));
        if (e.key_end)
            nftnl_set_elem_set(elem, NFTNL_SET_ELEM_KEY_END, e.key_end->data(),
                               static_cast<uint32_t>(e.key_end->size()));
        if (e.interval_end) nftnl_set_elem_set_u32(elem, NFTNL_SET_ELEM_FLAGS, NFT_SET_ELEM_INTERVAL_END);
        if (named && i < named->element_timeouts_ms.size() && named->element_timeouts_ms[i])
            nftnl_set_elem_set_u64(elem, NFTNL_SET_ELEM_TIMEOUT, *named->element_timeouts_ms[i]);
        if (named && i < named->comments.size() && named->comments[i]) {
            UdataPtr udata(nftnl_udata_buf_alloc(NFT_USERDATA_MAXLEN));
            nftnl_udata_put_strz(udata.get(), NFTNL_UDATA_SET_ELEM_COMMENT, std::string(*named->comments[i]).c_str());
            nftnl_set_elem_set(elem, NFTNL_SET_ELEM_USERDATA, nftnl_udata_buf_data(udata.get()),
                               nftnl_udata_buf_len(udata.get()));
        }
        // The kernel gives each element the set's counter; one with saved counts starts from them.
        if (named && i < named->counts.size() && named->counts[i]) {
            nftnl_expr* counter = nftnl_expr_alloc("counter");
            nftnl_expr_set_u64(counter, NFTNL_EXPR_CTR_PACKETS, named->counts[i]->packets);
            nftnl_expr_set_u64(counter, NFTNL_EXPR_CTR_BYTES, named->counts[i]->bytes);
            nftnl_set_elem_add_expr(elem, counter);
        }
        nftnl_set_elem_add(set, elem);
    }
    if (!s.elements.empty()) w.elements(set, k.family, std::move(origin));
}

// A named set as the kernel keeps it: its key, flags (with `more_flags`), default timeout, size
// and element counters.
SetPtr named_set(BatchWriter& w, const TableName& k, const vm::NamedSet& s, uint32_t more_flags = 0) {
    SetPtr set(nftnl_set_alloc());
    nftnl_set_set_str(set.get(), NFTNL_SET_TABLE, k.name.c_str());
    nftnl_set_set_str(set.get(), NFTNL_SET_NAME, std::string(s.name).c_str());
    nftnl_set_set_u32(set.get(), NFTNL_SET_ID, w.new_set_id());
    nftnl_set_set_u32(set.get(), NFTNL_SET_FAMILY, k.family);
    describe_key(set.get(), s.content);
    nftnl_set_set_u32(set.get(), NFTNL_SET_FLAGS,
                      (s.content.interval ? NFT_SET_INTERVAL : 0) | (s.content.concatenated ? NFT_SET_CONCAT : 0) |
                          (s.timeouts ? NFT_SET_TIMEOUT : 0) | (s.dynamic ? NFT_SET_EVAL : 0) | more_flags);
    if (s.timeout_ms) nftnl_set_set_u64(set.get(), NFTNL_SET_TIMEOUT, s.timeout_ms);
    if (s.size) nftnl_set_set_u32(set.get(), NFTNL_SET_DESC_SIZE, *s.size);
    if (s.counters) nftnl_set_add_expr(set.get(), nftnl_expr_alloc("counter"));
    return set;
}

// Each ipset the table's rules use, with its elements, before the rules.
void add_ipsets(BatchWriter& w, const TableName& k, const Table& t, bool counters) {
    for (const DeclaredIpset& declared : t.ipsets) {
        vm::NamedSet s = vm::lower_ipset(declared, t.family, counters);
        SetPtr set = named_set(w, k, s);
        std::string what = "set " + std::string(s.name);
        nlmsghdr* h = w.message(NFT_MSG_NEWSET, k.family, NLM_F_CREATE, {declared.set->declared, what});
        nftnl_set_nlmsg_build_payload(h, set.get());
        w.next();
        add_elements(w, k, set.get(), s.content, &s, {declared.set->declared, "element of " + what});
    }
}

// The set of each hashlimit: a shared one once, with its timeout and size; a rule's own as nft
// makes a meter's, anonymous (bound to its rule), the timeout in the rule's update.
void add_meter_sets(BatchWriter& w, const TableName& k, const Table& t) {
    for (const MeterSet& meter : meter_sets(t)) {
        vm::NamedSet s = vm::lower_meter_set(*meter.meter, t.family);
        SetPtr set = named_set(w, k, s, meter.meter->shared ? 0 : NFT_SET_ANONYMOUS);
        nlmsghdr* h = w.message(NFT_MSG_NEWSET, k.family, NLM_F_CREATE,
                                {meter.first_use, "set of hashlimit " + std::string(s.name)});
        nftnl_set_nlmsg_build_payload(h, set.get());
        w.next();
    }
}

// An anonymous set of the rule at `at`; returns the name and id its lookup names.
std::pair<std::string, uint32_t> add_set(BatchWriter& w, const TableName& k, const vm::AnonymousSet& s, Span at) {
    uint32_t id = w.new_set_id();
    SetPtr set(nftnl_set_alloc());
    nftnl_set_set_str(set.get(), NFTNL_SET_TABLE, k.name.c_str());
    nftnl_set_set_str(set.get(), NFTNL_SET_NAME, "__set%d");
    nftnl_set_set_u32(set.get(), NFTNL_SET_ID, id);
    nftnl_set_set_u32(set.get(), NFTNL_SET_FAMILY, k.family);
    nftnl_set_set_u32(set.get(), NFTNL_SET_FLAGS,
                      NFT_SET_ANONYMOUS | NFT_SET_CONSTANT | (s.interval ? NFT_SET_INTERVAL : 0) |
                          (s.concatenated ? NFT_SET_CONCAT : 0));
    nftnl_set_set_u32(set.get(), NFTNL_SET_DESC_SIZE, static_cast<uint32_t>(s.elements.size()));
    describe_key(set.get(), s);
    nlmsghdr* h = w.message(NFT_MSG_NEWSET, k.family, NLM_F_CREATE, {at, "set of rule"});
    nftnl_set_nlmsg_build_payload(h, set.get());
    w.next();
    add_elements(w, k, set.get(), s, nullptr, {at, "set element of rule"});
    return {"__set%d", id};
}

// nf_tables refuses a rule of more expressions (NFT_RULE_MAXEXPRS).
constexpr size_t most_expressions = 128;

// A rule's userdata holds 256 bytes: the comment's type and length take two, its NUL one.
constexpr size_t comment_bytes = NFT_USERDATA_MAXLEN - 3;

std::string_view kernel_comment(std::string_view text, Span at, Diagnostics* diags) {
    if (text.size() <= comment_bytes) return text;
    if (diags)
        diags->warning(at, fmt::format("comment longer than the {} bytes a kernel rule keeps: cut", comment_bytes),
                       "comment-cut");
    return text.substr(0, character_start(text, comment_bytes));
}

// The rule message's payload: table, chain and comment, then its expressions, each one's offset
// in the message noted in `offsets` (the kernel names a refused expression by it).
void write_rule(nlmsghdr* h, const MessageOrigin& to, const vm::Program& program,
                const std::vector<std::pair<std::string, uint32_t>>& set_names, Diagnostics* diags,
                std::vector<uint32_t>* offsets) {
    RulePtr rule(nftnl_rule_alloc());
    nftnl_rule_set_str(rule.get(), NFTNL_RULE_TABLE, std::string(to.table).c_str());
    nftnl_rule_set_str(rule.get(), NFTNL_RULE_CHAIN, std::string(to.chain).c_str());
    nftnl_rule_set_u32(rule.get(), NFTNL_RULE_FAMILY, to.table_family);
    const Rule* r = to.rule;
    if (r && r->origin.comment) {
        // Stored as nft stores it, so that `nft list ruleset` shows it.
        UdataPtr udata(nftnl_udata_buf_alloc(NFT_USERDATA_MAXLEN));
        std::string comment(kernel_comment(*r->origin.comment, r->origin.comment_span, diags));
        nftnl_udata_put_strz(udata.get(), NFTNL_UDATA_RULE_COMMENT, comment.c_str());
        nftnl_rule_set_data(rule.get(), NFTNL_RULE_USERDATA, nftnl_udata_buf_data(udata.get()),
                            nftnl_udata_buf_len(udata.get()));
    }
    nftnl_rule_nlmsg_build_payload(h, rule.get());
    nlattr* list = mnl_attr_nest_start(h, NFTA_RULE_EXPRESSIONS);
    for (const auto& e : program.expressions) {
        if (offsets) offsets->push_back(h->nlmsg_len);
        nlattr* element = mnl_attr_nest_start(h, NFTA_LIST_ELEM);
        ExpressionPtr expression(make_expression(e, set_names));
        nftnl_expr_build_payload(h, expression.get());
        mnl_attr_nest_end(h, element);
    }
    mnl_attr_nest_end(h, list);
}

// A rule's message origin: the rule, the kernel's table and chain it goes to, how it is lowered
// there. The names view the ruleset, which outlives the batch.
MessageOrigin rule_origin(const Rule* r, Span at, std::string_view table, uint16_t table_family, std::string_view chain,
                          Family family, InetPlace place) {
    MessageOrigin o{at, "rule"};
    o.rule = r;
    o.table = table;
    o.chain = chain;
    o.table_family = table_family;
    o.family = family;
    o.place = place;
    return o;
}

vm::Program lower(const MessageOrigin& to, bool counters) {
    return vm::lower_rule(*to.rule, to.family, counters, to.place);
}

// Appended, or inserted at the chain's head (--noflush: -I ahead of the kernel's rules).
void add_rule(BatchWriter& w, const MessageOrigin& to, const vm::Program& program, bool at_head) {
    if (program.expressions.size() > most_expressions) {
        w.diags()->error(to.span,
                         fmt::format("this rule makes {} kernel expressions, and nf_tables takes at most {} in a "
                                     "rule: split it",
                                     program.expressions.size(), most_expressions),
                         "rule-too-long");
        return;
    }
    std::vector<std::pair<std::string, uint32_t>> set_names;
    for (const auto& s : program.sets)
        set_names.push_back(add_set(w, {to.table_family, std::string(to.table)}, s, to.span));
    nlmsghdr* h = w.message(NFT_MSG_NEWRULE, to.table_family, at_head ? NLM_F_CREATE : NLM_F_CREATE | NLM_F_APPEND, to);
    write_rule(h, to, program, set_names, w.diags(), nullptr);
    w.next();
}

// The chains (a policy the input does not give stays the kernel's with --noflush, else it is
// ACCEPT), then their rules.
void add_chains(BatchWriter& w, const Table& t, const BatchOptions& options) {
    TableName k = kernel_table(t);
    for (const auto& ch : t.chains) {
        auto policy = options.noflush ? ch.policy : ch.policy.value_or(VerdictKind::accept);
        add_chain(w, k, std::string(ch.name), policy, {ch.declared, "chain " + std::string(ch.name)});
    }
    auto add = [&](const Chain& ch, const Rule& r, bool at_head) {
        MessageOrigin to = rule_origin(&r, r.origin.span, t.name, k.family, ch.name, t.family, InetPlace::none);
        add_rule(w, to, lower(to, options.counters), at_head);
    };
    for (const auto& ch : t.chains)
        for (const auto& r : ch.rules)
            if (!r.origin.ahead_of_kernel_rules) add(ch, r, false);
    // Each at the head, the last first, so that they end in their order before the kernel's.
    for (const auto& ch : t.chains)
        for (size_t i = ch.rules.size(); i-- > 0;)
            if (ch.rules[i].origin.ahead_of_kernel_rules) add(ch, ch.rules[i], true);
}

void add_table_contents(BatchWriter& w, const Table& t, const BatchOptions& options) {
    TableName k = kernel_table(t);
    add_table(w, k, t.declared, !options.noflush);
    if (options.noflush) add_kernel_edits(w, t);
    add_helper_objects(w, k, {&t});
    add_dynamic_sets(w, k, t);
    add_ipsets(w, k, t, options.counters);
    add_meter_sets(w, k, t);
    add_chains(w, t, options);
}

// --inet: the ip and ip6 tables of the name deleted and the inet table made in their place, as
// the script does, holding both tables' sets and objects, the chains as merged.
void add_inet_table(BatchWriter& w, const InetTable& merged, const BatchOptions& options) {
    const Table& v4 = *merged.v4;
    TableName k{NFPROTO_INET, v4.name};
    add_table(w, kernel_table(v4), v4.declared, true, false);
    add_table(w, kernel_table(*merged.v6), merged.v6->declared, true, false);
    add_table(w, k, v4.declared, true);
    add_helper_objects(w, k, {merged.v4, merged.v6});
    for (const Table* t : {merged.v4, merged.v6}) {
        add_dynamic_sets(w, k, *t);
        add_ipsets(w, k, *t, options.counters);
        add_meter_sets(w, k, *t);
    }
    for (const InetChain& c : merged.chains)
        add_chain(w, k, std::string(c.name), c.policy, {c.declared, "chain " + std::string(c.name)});
    for (const InetChain& c : merged.chains) {
        for (const InetRule& r : c.rules) {
            MessageOrigin to =
                rule_origin(r.rule, r.rule->origin.span, v4.name, k.family, c.name, r.family(), r.place());
            add_rule(w, to, lower(to, options.counters), false);
        }
        if (c.dropped) {
            MessageOrigin to =
                rule_origin(nullptr, c.declared, v4.name, k.family, c.name, *c.dropped, InetPlace::own_family);
            to.what = "rule dropping what the chain's policy drops";
            add_rule(w, to, vm::inet_policy_drop(*c.dropped), false);
        }
    }
}

}  // namespace

Span refused_source(const MessageOrigin& origin, uint32_t offset, bool counters) {
    if (!origin.rule || offset == 0) return origin.span;
    // The message again, in a scratch buffer: the same layout, so the same offsets.
    vm::Program program = lower(origin, counters);
    std::vector<std::pair<std::string, uint32_t>> set_names(program.sets.size(), {"__set%d", 1});
    std::vector<char> scratch(4 * (UINT16_MAX + 1));
    nlmsghdr* h = nftnl_nlmsg_build_hdr(scratch.data(), NFT_MSG_NEWRULE, origin.table_family, 0, 0);
    std::vector<uint32_t> offsets;
    write_rule(h, origin, program, set_names, nullptr, &offsets);
    auto after = std::upper_bound(offsets.begin(), offsets.end(), offset);
    if (after == offsets.begin()) return origin.span;
    Span source = program.sources[static_cast<size_t>(after - offsets.begin()) - 1];
    return source.end > source.begin ? source : origin.span;
}

Batch build_batch(const Ruleset& ruleset, const BatchOptions& options, Diagnostics& diags) {
    Batch batch = empty_batch();
    BatchWriter w(batch, &diags);
    w.begin(options.generation);
    for_each_table(
        ruleset, options.inet, [&](const Table& t) { add_table_contents(w, t, options); },
        [&](const InetTable& inet) { add_inet_table(w, inet, options); });
    if (!options.check_only) w.end();
    return batch;
}

}  // namespace ipt2nft::netlink
