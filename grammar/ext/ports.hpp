// Port conditions shared by the tcp, udp and multiport matches.
#pragma once
#include "grammar/extension.hpp"

namespace ipt2nft::grammar {

// `<field> [!=] port|low-high` from an option holding one port or range; port names are looked
// up for `lookup` (the field's protocol when empty, or any_protocol).
void lower_port_option(const OptionUse& o, PayloadField field, LowerContext& ctx, std::string_view lookup = {});
Value port_value(uint16_t low, uint16_t high);

}  // namespace ipt2nft::grammar
