// Strict option parsing: unknown options and missing values are usage errors.
#include "args.h"

#include <cstdlib>

namespace invseg::cli {

Args::Args(const std::vector<std::string>& argv, const std::set<std::string>& valueOptions,
           const std::set<std::string>& flags)
{
    for (size_t i = 0; i < argv.size(); ++i) {
        const std::string& a = argv[i];
        if (a.size() > 2 && a.compare(0, 2, "--") == 0) {
            std::string name = a.substr(2), value;
            const auto eq = name.find('=');
            const bool inlineValue = eq != std::string::npos;
            if (inlineValue) {
                value = name.substr(eq + 1);
                name = name.substr(0, eq);
            }
            if (flags.count(name)) {
                if (inlineValue)
                    throw UsageError("option --" + name + " takes no value");
                m_flags.insert(name);
            } else if (valueOptions.count(name)) {
                if (!inlineValue) {
                    if (i + 1 >= argv.size())
                        throw UsageError("option --" + name + " needs a value");
                    value = argv[++i];
                }
                m_values[name].push_back(value);
            } else {
                throw UsageError("unknown option --" + name);
            }
        } else {
            m_positional.push_back(a);
        }
    }
}

std::string Args::value(const std::string& name, const std::string& fallback) const
{
    auto it = m_values.find(name);
    return it == m_values.end() ? fallback : it->second.back();
}

std::vector<std::string> Args::values(const std::string& name) const
{
    auto it = m_values.find(name);
    return it == m_values.end() ? std::vector<std::string>{} : it->second;
}

int Args::intValue(const std::string& name, int fallback) const
{
    if (!m_values.count(name))
        return fallback;
    const std::string v = value(name);
    char* end = nullptr;
    const long x = std::strtol(v.c_str(), &end, 10);
    if (v.empty() || *end != '\0' || x < -1000000000L || x > 1000000000L)
        throw UsageError("option --" + name + " needs an integer, got '" + v + "'");
    return static_cast<int>(x);
}

double Args::doubleValue(const std::string& name, double fallback) const
{
    if (!m_values.count(name))
        return fallback;
    const std::string v = value(name);
    char* end = nullptr;
    const double x = std::strtod(v.c_str(), &end);
    if (v.empty() || *end != '\0')
        throw UsageError("option --" + name + " needs a number, got '" + v + "'");
    return x;
}

} // namespace invseg::cli
