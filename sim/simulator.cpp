// The packet path: each hook's callees in priority order (base chains, conntrack, NAT, confirm),
// the routing decision between them, user chains with jump, goto and return.
#include "sim/simulator.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "backends/vm/print_netlink.hpp"

namespace ipt2nft::sim {

namespace {

std::string reject_text(const vm::Reject& r) {
    // NFT_REJECT_ICMP_UNREACH 0, NFT_REJECT_TCP_RST 1, NFT_REJECT_ICMPX_UNREACH 2.
    if (r.type == 1) return "rejected: a TCP reset is sent back";
    return fmt::format("rejected: an ICMP{} error (code {}) is sent back", r.type == 2 ? "x" : "", r.code);
}

// Why the routing decision refuses a packet received on a device other than loopback (the
// kernel's martian sources and destinations), or nullptr.
const char* martian(const Packet& p) {
    if (p.in_interface == "lo") return nullptr;
    Address s = p.source(), d = p.destination();
    if (p.family() == Family::ipv6) {
        Address loopback{Family::ipv6, {}};
        loopback.bytes[15] = 1;
        if (s == loopback || d == loopback) return "a loopback address on the wire";
        return nullptr;
    }
    if (is_multicast(s) || is_limited_broadcast(s)) return "a multicast or broadcast source";
    if (s.bytes[0] == 0) return "a source in 0.0.0.0/8";
    if (d.bytes[0] == 0) return "a destination in 0.0.0.0/8";
    if (d.bytes[0] == 127) return "a loopback destination on the wire";
    if (s.bytes[0] == 127) return "a loopback source on the wire";
    return nullptr;
}

// Whether the source or destination is what NAT changes at this hook (HOOK2MANIP).
bool source_manip(Hook h) {
    return h == Hook::postrouting || h == Hook::input;
}

}  // namespace

// One packet's walk.
struct Walk {
    Walk(Simulator& s, const PacketSpec& spec, bool recording) : sim(s), packet(spec), record(recording) {}

    Simulator& sim;
    Packet packet;
    bool record;       // a trace is written; without, only the verdict is decided
    std::string key_;  // a keyed run's value, kept to reuse its storage
    PacketTrack track;
    bool conntrack_seen = false;  // conntrack has looked at the packet
    Trace trace;
    std::optional<NatRequest> nat_request;
    std::optional<Span> drop_source, accept_source;
    std::optional<std::string_view> drop_comment, accept_comment;

    const CompiledRuleset& rules() { return sim.rules_; }

    // Conntrack, NAT and routing as they happen; `text` makes the words only for a trace.
    template <typename Text>
    void event(Hook h, Text text) {
        if (record) trace.events.push_back({trace.steps.size(), h, std::string(text())});
    }

    Environment environment(Hook h) {
        return Environment{packet, h, track, sim.conntrack_, sim.host_, sim.state_, record};
    }

    void enter_step(Hook h, const CompiledTable& table, size_t chain) {
        if (record) trace.steps.push_back({h, table.name, table.chains[chain].name, {}, {}, {}});
    }

    void end_step(std::string_view how) {
        if (record) trace.steps.back().end = how;
    }

    // A rule that matched, in the trace: what it changed and its verdict.
    void record_match(const CompiledRule& rule, size_t position, Outcome& o) {
        if (!record) return;
        Step& step = trace.steps.back();
        for (auto& u : o.unsimulated) step.unsimulated.push_back(std::move(u));
        if (!o.matched) return;
        RuleMatch match{rule.span, position, std::move(o.effects), {}};
        if (o.reject) match.effects.push_back(reject_text(*o.reject));
        if (o.queue)
            match.effects.push_back(
                fmt::format("queued to {}: no program listens, so the kernel {}", o.queue->number,
                            o.verdict == vm::VerdictCode::accept ? "bypasses the queue" : "drops it"));
        if (o.verdict) {
            match.verdict = std::string(vm::verdict_name(*o.verdict));
            if (!o.chain.empty()) match.verdict += fmt::format(" {}", o.chain);
            if (o.nat) match.verdict = "nat";
            if (*o.verdict != vm::VerdictCode::return_ && *o.verdict != vm::VerdictCode::continue_)
                step.end = match.verdict;
        }
        step.matches.push_back(std::move(match));
    }

    // The verdict of a base chain that ends without one: its policy, recorded where the kernel
    // traces it (in the base chain, also after a goto).
    vm::VerdictCode policy(Hook h, const CompiledTable& table, size_t base, size_t chain) {
        if (chain != base) {
            end_step("return");
            enter_step(h, table, base);
        }
        VerdictKind policy = table.chains[base].policy.value_or(VerdictKind::accept);
        end_step(policy == VerdictKind::drop ? "policy drop" : "policy accept");
        if (policy == VerdictKind::drop) drop_source = table.chains[base].policy_span, drop_comment.reset();
        return policy == VerdictKind::drop ? vm::VerdictCode::drop : vm::VerdictCode::accept;
    }

    // Inside a keyed run, the first rule from `at` on that tests the packet's value of the run's
    // field (the run's end when none does); `at` elsewhere.
    size_t next_candidate(const CompiledChain& chain, size_t at, Environment& env) {
        if (at >= chain.rules.size() || chain.run_of[at] < 0) return at;
        const KeyedRun& run = chain.runs[static_cast<size_t>(chain.run_of[at])];
        if (!load_key(run.key_load, env, run.key_length, key_)) return run.end;
        auto it = run.positions.find(key_);
        if (it == run.positions.end()) return run.end;
        auto candidate = std::lower_bound(it->second.begin(), it->second.end(), at);
        return candidate == it->second.end() ? run.end : *candidate;
    }

    // A base chain and the user chains it reaches; accept or drop for the hook.
    vm::VerdictCode run_chain(Hook h, size_t table_index, size_t chain_index) {
        const CompiledTable& table = rules().tables[table_index];
        struct Frame {
            size_t chain, next;
        };
        std::vector<Frame> stack;
        size_t chain = chain_index, at = 0;
        enter_step(h, table, chain);
        Environment env = environment(h);
        env.named_sets = &table.sets;
        while (true) {
            const CompiledChain& current = table.chains[chain];
            if (at == current.rules.size()) {
                if (stack.empty()) return policy(h, table, chain_index, chain);
                end_step("return");
                chain = stack.back().chain, at = stack.back().next;
                stack.pop_back();
                enter_step(h, table, chain);
                continue;
            }
            if (size_t next = next_candidate(current, at, env); next != at) {
                at = next;
                continue;
            }
            const CompiledRule& rule = current.rules[at++];
            Outcome o = run_program(rule.program, env);
            if (!o.unsimulated.empty()) trace.unsimulated = true;
            record_match(rule, at - 1, o);
            if (!o.matched || !o.verdict) continue;
            switch (*o.verdict) {
                case vm::VerdictCode::accept:
                case vm::VerdictCode::drop:
                    if (o.nat) nat_request = o.nat;
                    if (*o.verdict == vm::VerdictCode::drop) drop_source = rule.span, drop_comment = rule.comment;
                    if (*o.verdict == vm::VerdictCode::accept && !is_nat(table))
                        accept_source = rule.span, accept_comment = rule.comment;
                    return *o.verdict;
                case vm::VerdictCode::jump:
                case vm::VerdictCode::go_to:
                    if (*o.verdict == vm::VerdictCode::jump) stack.push_back({chain, at});
                    chain = static_cast<size_t>(rule.jumps_to), at = 0;
                    enter_step(h, table, chain);
                    break;
                case vm::VerdictCode::return_:
                    at = current.rules.size();  // as the chain's end
                    break;
                case vm::VerdictCode::continue_: break;
            }
        }
    }

    // nf_conntrack_in: the packet's connection, unless raw made it untracked or it has one.
    void conntrack_in(Hook h) {
        if (conntrack_seen) return;
        conntrack_seen = true;
        if (rules().conntrack_rules[static_cast<size_t>(packet.family())] == 0)
            return event(h, [&] { return "conntrack: not loaded (no rule of the family needs it)"; });
        if (track.kind == PacketTrack::Kind::untracked)
            return event(h, [&] { return "conntrack: not tracked (notrack)"; });
        std::string why;
        track = sim.conntrack_.track(packet, why);
        if (track.kind == PacketTrack::Kind::tracked)
            event(h, [&] {
                return fmt::format("conntrack: {} ({} direction){}", track.state_name(),
                                   track.direction() ? "reply" : "original", why.empty() ? "" : "; " + why);
            });
        else
            event(h, [&] { return fmt::format("conntrack: {} ({})", track.state_name(), why); });
    }

    bool nat_done(bool source) {
        const Connection& c = sim.conntrack_.connection(track.connection);
        return c.status & (source ? source_nat_done : destination_nat_done);
    }

    // The address and port a NAT request chooses for this packet; false when it has none to
    // choose (the kernel drops the packet).
    bool bind(Hook h, const NatRequest& r) {
        bool source = !r.destination;
        Address current = source ? packet.source() : packet.destination();
        uint16_t current_port = source ? packet.source_port() : packet.destination_port();
        std::optional<Address> address = r.address_min;
        if (r.kind == NatRequest::Kind::masquerade)
            address = sim.host_.primary_address(packet.out_interface, packet.family());
        if (r.kind == NatRequest::Kind::redirect) {
            if (h == Hook::output)
                address = sim.host_.primary_address("lo", packet.family());
            else
                address = sim.host_.primary_address(packet.in_interface, packet.family());
        }
        if (r.kind != NatRequest::Kind::nat && !address) {
            event(h, [&] {
                return fmt::format("nat: {} has no address on {}: the packet is dropped",
                                   r.kind == NatRequest::Kind::masquerade ? "masquerade" : "redirect",
                                   r.kind == NatRequest::Kind::masquerade ? packet.out_interface : packet.in_interface);
            });
            return false;
        }
        if (r.address_min && r.address_max && !(*r.address_min == *r.address_max))
            event(h, [&] {
                return "nat: the range's first address is taken (the kernel picks one by a hash of the addresses)";
            });
        std::optional<uint16_t> port;
        if (r.port_min && packet.has_ports() && (current_port < *r.port_min || current_port > *r.port_max)) {
            port = *r.port_min;
            if (*r.port_min != *r.port_max)
                event(h,
                      [&] { return "nat: the range's first port is taken (the kernel picks a free one by a hash)"; });
        }
        if (!sim.conntrack_.bind(track.connection, source, address.value_or(current), port)) clash(h);
        return true;
    }

    // A binding whose tuple another connection has: the kernel moves it to a free port of its
    // choosing, which the simulation cannot know.
    void clash(Hook h) {
        trace.unsimulated = true;
        event(h, [] {
            return "nat: another connection has this tuple: the kernel picks another port (by a hash), which is "
                   "not simulated";
        });
    }

    // nf_nat_packet: the connection's binding applied to this packet at this hook.
    void mangle(Hook h) {
        const Connection& c = sim.conntrack_.connection(track.connection);
        bool source = source_manip(h);
        uint8_t dir = track.direction();
        uint32_t bit = source ? source_nat : destination_nat;
        if (dir == 1) bit = source ? destination_nat : source_nat;
        if (!(c.status & bit)) return;
        Tuple target = c.tuple[1 - dir].inverted();
        std::string before = record ? flow_text(packet) : std::string();
        bool changed = source ? !(packet.source() == target.source) || packet.source_port() != target.source_port
                              : !(packet.destination() == target.destination) ||
                                    packet.destination_port() != target.destination_port;
        if (!changed) return;
        if (source) {
            packet.set_source(target.source);
            packet.set_source_port(target.source_port);
        } else {
            packet.set_destination(target.destination);
            packet.set_destination_port(target.destination_port);
        }
        event(h, [&] {
            return fmt::format("nat: {} {} → {}", source ? "source" : "destination", before, flow_text(packet));
        });
    }

    // The NAT hook: a connection's first packet runs the nat chains of the hook until one binds
    // (else no change is bound), then every packet gets the binding.
    vm::VerdictCode nat_point(Hook h) {
        if (track.kind != PacketTrack::Kind::tracked) return vm::VerdictCode::accept;
        bool source = source_manip(h);
        bool first = track.info == 1 || track.info == 2 || track.info == 4;  // related or new
        if (first && !nat_done(source)) {
            for (const auto& ref : rules().chains_at(packet.family(), h)) {
                if (!is_nat(rules().tables[ref.table])) continue;
                nat_request.reset();
                if (run_chain(h, ref.table, ref.chain) == vm::VerdictCode::drop) return vm::VerdictCode::drop;
                if (nat_request) {
                    if (!bind(h, *nat_request)) return vm::VerdictCode::drop;
                    break;
                }
            }
            if (!nat_done(source) && !sim.conntrack_.bind_none(track.connection, source)) clash(h);
        }
        mangle(h);
        return vm::VerdictCode::accept;
    }

    // Every callee of the hook by priority; false when the packet was dropped.
    bool run_hook(Hook h) {
        const auto& callees = sim.callees_[static_cast<size_t>(packet.family())][static_cast<size_t>(h)];
        for (const auto& c : callees) {
            vm::VerdictCode v = vm::VerdictCode::accept;
            switch (c.kind) {
                case Callee::Kind::chain: v = run_chain(h, c.chain.table, c.chain.chain); break;
                case Callee::Kind::conntrack: conntrack_in(h); break;
                case Callee::Kind::nat: v = nat_point(h); break;
                case Callee::Kind::confirm:
                    if (track.kind == PacketTrack::Kind::tracked &&
                        !(sim.conntrack_.connection(track.connection).status & confirmed)) {
                        sim.conntrack_.confirm(track);
                        event(h, [&] { return "conntrack: connection confirmed"; });
                    }
                    break;
            }
            if (v == vm::VerdictCode::drop) return false;
        }
        return true;
    }

    // Where the packet ends; said in words only when the trace is recorded.
    void finish(bool accepted, std::string_view end) {
        trace.accepted = accepted;
        trace.decided_by = accepted ? accept_source : drop_source;
        trace.decided_comment = accepted ? accept_comment : drop_comment;
        if (!record) return;
        trace.end = end;
        trace.final_flow = flow_text(packet);
        trace.ct_state = track.state_name();
        if (track.kind == PacketTrack::Kind::tracked) {
            const Connection& c = sim.conntrack_.connection(track.connection);
            auto text = [](const Tuple& t) {
                return flow_text(t.protocol, t.source, t.source_port, t.destination, t.destination_port);
            };
            trace.connection =
                Trace::Connection{text(c.tuple[0]), text(c.tuple[1]), sim.conntrack_.in_table(track.connection)};
        }
    }

    // The words of a place formatted only for a trace: a walk without one formats nothing.
    template <typename... Args>
    std::string said(fmt::format_string<Args...> text, Args&&... args) const {
        return record ? fmt::format(text, std::forward<Args>(args)...) : std::string();
    }

    void dropped(Hook h) { finish(false, said("dropped in {}", hook_name(h))); }

    void received() {
        if (!run_hook(Hook::prerouting)) return dropped(Hook::prerouting);
        deliver_or_forward();
    }

    void deliver_or_forward() {
        Address to = packet.destination();
        if (const char* why = martian(packet)) {
            event(Hook::prerouting, [&] { return fmt::format("routing: martian packet ({})", why); });
            return finish(false, "dropped: martian");
        }
        if (sim.host_.is_local(to)) {
            event(Hook::prerouting, [&] { return fmt::format("routing: {} is the host's: input", to_string(to)); });
            if (!run_hook(Hook::input)) return dropped(Hook::input);
            return finish(true, "delivered locally");
        }
        auto out = sim.host_.route(to);
        if (!out) {
            event(Hook::prerouting, [&] { return fmt::format("routing: no route to {}", to_string(to)); });
            return finish(false, "dropped: no route");
        }
        // Forwarding takes one from the TTL before the forward hook, and ends a packet that has
        // none left to give.
        if (packet.ttl() <= 1) {
            event(Hook::prerouting, [&] { return fmt::format("routing: forward out {}, but the TTL is spent", *out); });
            return finish(false, "dropped: TTL exceeded (an ICMP time exceeded is sent back)");
        }
        packet.set_ttl(static_cast<uint8_t>(packet.ttl() - 1));
        event(Hook::prerouting, [&] { return fmt::format("routing: forward out {}", *out); });
        packet.out_interface = *out;
        if (!run_hook(Hook::forward)) return dropped(Hook::forward);
        if (!run_hook(Hook::postrouting)) return dropped(Hook::postrouting);
        finish(true, said("forwarded out {}", *out));
    }

    void sent() {
        auto out = sim.host_.route(packet.destination());
        if (!out) {
            event(Hook::output,
                  [&] { return fmt::format("routing: no route to {}", to_string(packet.destination())); });
            return finish(false, "not sent: no route");
        }
        packet.out_interface = *out;
        event(Hook::output, [&] { return fmt::format("routing: out {}", *out); });
        Address before = packet.destination();
        if (!run_hook(Hook::output)) return dropped(Hook::output);
        if (!(packet.destination() == before)) {
            // A new destination is routed again (the kernel's ip_route_me_harder).
            out = sim.host_.route(packet.destination());
            if (!out) return finish(false, "dropped: no route after NAT");
            packet.out_interface = *out;
            event(Hook::output, [&] { return fmt::format("routing: again, out {}", *out); });
        }
        if (!run_hook(Hook::postrouting)) return dropped(Hook::postrouting);
        if (packet.out_interface != "lo") return finish(true, said("sent out {}", packet.out_interface));
        // To the host itself: over loopback, in again, with its connection and without a socket.
        packet.in_interface = "lo";
        packet.out_interface.clear();
        packet.uid.reset(), packet.gid.reset();
        received();
    }
};

bool Simulator::verdict(const PacketSpec& spec) {
    return walk(spec, {}, false).accepted;
}

Trace Simulator::run(const PacketSpec& spec, std::string description) {
    return walk(spec, std::move(description), true);
}

Trace Simulator::walk(const PacketSpec& spec, std::string description, bool record) {
    if (!spec.in_interface.empty() && host_.assumed()) host_.assume_local(spec.destination);
    Walk w(*this, spec, record);
    w.trace.description = std::move(description);
    if (spec.in_interface.empty())
        w.sent();
    else
        w.received();
    return std::move(w.trace);
}

}  // namespace ipt2nft::sim
