// Span: a cheap reference to a byte range of one source file.
#pragma once
#include <cstdint>

namespace ipt2nft {

struct Span {
    uint32_t file = 0;
    uint32_t begin = 0;
    uint32_t end = 0;

    bool valid() const { return file != 0; }  // file 0 is "no location"
    static Span join(Span a, Span b) {
        return Span{a.file, a.begin < b.begin ? a.begin : b.begin, a.end > b.end ? a.end : b.end};
    }
};

}  // namespace ipt2nft
