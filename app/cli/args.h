// A small, strict command-line parser shared by the subcommands.
#pragma once

#include <map>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

namespace invseg::cli {

/// Thrown for a usage error (exit code 2).
class UsageError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// Options of the form --name VALUE or --name=VALUE, flags (--name) and positional arguments.
class Args {
public:
    /// valueOptions take a value; flags take none. Anything else starting with "--" is a usage error.
    Args(const std::vector<std::string>& argv, const std::set<std::string>& valueOptions,
         const std::set<std::string>& flags);

    bool has(const std::string& name) const { return m_values.count(name) || m_flags.count(name); }
    std::string value(const std::string& name, const std::string& fallback = "") const;
    /// Every value given for a repeatable option (--image a --image b), and values split at commas if asked.
    std::vector<std::string> values(const std::string& name) const;
    int intValue(const std::string& name, int fallback) const;
    double doubleValue(const std::string& name, double fallback) const;
    const std::vector<std::string>& positional() const { return m_positional; }

private:
    std::map<std::string, std::vector<std::string>> m_values;
    std::set<std::string> m_flags;
    std::vector<std::string> m_positional;
};

} // namespace invseg::cli
