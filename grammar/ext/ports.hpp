// Port conditions and options shared by the tcp, udp, sctp, dccp and multiport matches.
#pragma once
#include "grammar/extension.hpp"

namespace ipt2nft::grammar {

// `<field> [!=] port|low-high` from an option holding one port or range; port names are looked
// up for `lookup` (the field's protocol when empty, or any_protocol).
void lower_port_option(const OptionUse& o, PayloadField field, LowerContext& ctx, std::string_view lookup = {});
// --source-port/--sport and --destination-port/--dport, then `own`: a protocol match's options.
std::vector<OptionDef> with_port_options(std::vector<OptionDef> own);

}  // namespace ipt2nft::grammar
