// forge::schema: input schemas declared in C++, validated with the messages of
// docs/record-format.md §10.2.
#pragma once

#include <forge/types/error_category.hpp>
#include <forge/types/json.hpp>
#include <forge/types/json_path.hpp>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace forge {

namespace detail {
struct compiled_pattern;
}

struct schema_field;

// validation_issue: one problem found in an input: its path (forge::json_path text: "tags.1", ""
// for the root) and the message in the TS validator's wording ("Invalid input: expected string,
// received number").
struct validation_issue {
    std::string path;
    std::string message;

    friend bool operator==(const validation_issue&, const validation_issue&) = default;
};

// format_validation_message: "Invalid input on: <path>: <message>, ..."
// (docs/record-format.md §10.2);
// exactly "Invalid input" when issues is empty.
std::string format_validation_message(const std::vector<validation_issue>& issues);

// validation_error: the exception a failed input validation produces (category validation).
// what() is the full "Invalid input on: ..." message; issues() lists each problem.
class validation_error : public categorized_error {
public:
    explicit validation_error(std::vector<validation_issue> issues);
    const std::vector<validation_issue>& issues() const noexcept { return issues_; }

private:
    std::vector<validation_issue> issues_;
};

// schema
//
// A JSON input schema, built in C++ and immutable once in use:
//
//   auto input_schema = forge::schema::object()
//       .required("user", forge::schema::string().min_length(1).pattern("^[a-z]+$"))
//       .optional("limit", forge::schema::integer().minimum(1).maximum(100))
//       .optional("tags", forge::schema::array(forge::schema::string()).max_items(5));
//
// Objects list required and optional fields (unknown keys are accepted and ignored, as the TS
// validator strips them); strings have length bounds (UTF-16 code units, as JavaScript counts),
// an ECMAScript pattern and an email format; numbers have inclusive or exclusive bounds; integers
// are numbers with an integral value; enumerations accept listed strings; arrays have an item
// schema and length bounds. A copyable value; copies share compiled patterns. Builders throw
// std::invalid_argument for a pattern that does not compile.
class schema {
public:
    // kind: what a schema accepts.
    enum class kind : std::uint8_t {
        any,
        string,
        number,
        integer,
        boolean,
        enumeration,
        array,
        object
    };

    schema();  // any: accepts every value
    ~schema();
    schema(const schema&);
    schema(schema&&) noexcept;
    schema& operator=(const schema&);
    schema& operator=(schema&&) noexcept;

    static schema any();
    static schema string();
    static schema number();
    static schema integer();
    static schema boolean();
    static schema enumeration(std::vector<std::string> values);
    static schema array(schema items);
    static schema object();

    // String constraints.
    schema& min_length(std::size_t n);
    schema& max_length(std::size_t n);
    schema& pattern(std::string ecmascript_regex);
    schema& email();
    // Number and integer constraints; exclusive makes the bound strict.
    schema& minimum(double v, bool exclusive = false);
    schema& maximum(double v, bool exclusive = false);
    // Array constraints.
    schema& min_items(std::size_t n);
    schema& max_items(std::size_t n);
    // Object fields, in declaration order (the order of validation issues). A repeated name
    // replaces the earlier field in place.
    schema& required(std::string name, schema s);
    schema& optional(std::string name, schema s);
    // description: text copied into describe().
    schema& description(std::string text);

    kind type() const noexcept { return kind_; }

    // validate: every issue of v against this schema, depth-first in declaration order; empty
    // when v is valid. Never throws except std::bad_alloc. Cost: one walk over v.
    std::vector<validation_issue> validate(const json& v) const;

    // check: throws validation_error when validate(v) is not empty.
    void check(const json& v) const;

    // describe: the schema as JSON Schema (draft 2020-12 keywords: type, properties, required,
    // items, minLength, maxLength, pattern, format, minimum, exclusiveMinimum, maximum,
    // exclusiveMaximum, minItems, maxItems, enum, description).
    json describe() const;

private:
    static schema of_kind(kind k);
    void validate_into(const json* v,
                       const json_path& path,
                       std::vector<validation_issue>& out) const;
    schema& add_field(std::string name, schema s, bool required);

    kind kind_ = kind::any;
    std::optional<std::size_t> min_len_{}, max_len_{};
    std::optional<double> min_{}, max_{};
    bool min_exclusive_ = false, max_exclusive_ = false;
    bool email_ = false;
    std::string pattern_text_{};
    std::shared_ptr<const detail::compiled_pattern> pattern_{};
    std::vector<std::string> enum_values_{};
    std::vector<schema> items_{};
    std::vector<schema_field>
        fields_;  // no initializer: schema_field is incomplete here (clang 14)
    std::string description_{};
};

// schema_field: one member of an object schema.
struct schema_field {
    std::string name;
    schema value;
    bool required = true;
};

}  // namespace forge
