// nlohmann's SAX events built into a tree, less the items of the streamed arrays, each built alone.
#include "util/streamed_json.hpp"

#include <algorithm>

namespace ipt2nft {

namespace {

using nlohmann::json;

class StreamingBuilder {
public:
    explicit StreamingBuilder(const std::vector<JsonStream>& streams) : streams_(streams) {}

    json& document() { return root_; }

    bool null() { return value(nullptr); }
    bool boolean(bool v) { return value(v); }
    bool number_integer(json::number_integer_t v) { return value(v); }
    bool number_unsigned(json::number_unsigned_t v) { return value(v); }
    bool number_float(json::number_float_t v, const json::string_t&) { return value(v); }
    bool string(json::string_t& v) { return value(std::move(v)); }
    bool binary(json::binary_t& v) { return value(json::binary(std::move(v))); }
    bool start_object(std::size_t) { return open(json::object(), false); }
    bool start_array(std::size_t) { return open(json::array(), true); }
    bool key(json::string_t& k) {
        frames_.back().key = std::move(k);
        return true;
    }
    bool end_object() { return close(); }
    bool end_array() { return close(); }
    template <typename Exception>
    bool parse_error(std::size_t, const std::string&, const Exception& e) {
        throw e;
    }

private:
    struct Frame {
        json* value;
        bool array;
        std::string key;  // an object's member being read
        size_t next = 0;  // an array's position of the item being read
    };

    // The stream whose pattern the place of the value now starting matches, if any.
    const JsonStream* matching() const {
        for (const auto& s : streams_) {
            if (s.pattern.size() != frames_.size()) continue;
            bool all = true;
            for (size_t i = 0; all && i < frames_.size(); ++i)
                all = frames_[i].array ? s.pattern[i] == "*" : s.pattern[i] == frames_[i].key;
            if (all) return &s;
        }
        return nullptr;
    }

    // Where a value starting now goes: the item of a stream, the root, or its parent.
    json* place(json v) {
        json* at = nullptr;
        if (!item_stream_ && (item_stream_ = matching())) {
            item_depth_ = frames_.size();
            item_ = std::move(v);
            at = &item_;
        } else if (frames_.empty()) {
            root_ = std::move(v);
            at = &root_;
        } else if (Frame& parent = frames_.back(); parent.array) {
            parent.value->push_back(std::move(v));
            at = &parent.value->back();
        } else {
            at = &((*parent.value)[parent.key] = std::move(v));
        }
        return at;
    }

    // The array positions the pattern's "*"s stand for.
    std::vector<size_t> positions() const {
        std::vector<size_t> out;
        for (size_t i = 0; i < item_depth_; ++i)
            if (frames_[i].array) out.push_back(frames_[i].next);
        return out;
    }

    void item_done() {
        item_stream_->handler(positions(), item_, root_);
        item_stream_ = nullptr;
        item_ = nullptr;
    }

    // An array's next item comes after this one, also when this one was taken out.
    void advance() {
        if (!frames_.empty() && frames_.back().array) ++frames_.back().next;
    }

    bool value(json v) {
        place(std::move(v));
        if (item_stream_ && item_depth_ == frames_.size()) item_done();
        advance();
        return true;
    }

    bool open(json v, bool array) {
        frames_.push_back({place(std::move(v)), array, {}, 0});
        return true;
    }

    bool close() {
        frames_.pop_back();
        if (item_stream_ && item_depth_ == frames_.size()) item_done();
        advance();
        return true;
    }

    const std::vector<JsonStream>& streams_;
    json root_;
    std::vector<Frame> frames_;
    const JsonStream* item_stream_ = nullptr;
    size_t item_depth_ = 0;  // the frames above the item being built
    json item_;
};

}  // namespace

json read_streamed_json(std::string_view text, const std::vector<JsonStream>& streams) {
    StreamingBuilder builder(streams);
    json::sax_parse(text.begin(), text.end(), &builder);
    return std::move(builder.document());
}

}  // namespace ipt2nft
