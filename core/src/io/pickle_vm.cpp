// The restricted unpickler: an explicit stack machine over the pickle opcodes torch.save emits, with a whitelist
// of callable globals and hard limits on everything the input could use to grow memory.
#include "io/pickle_vm.h"

#include "invseg/error.h"
#include "util/byte_order.h"

#include <cstring>

namespace invseg {
namespace {

struct StorageType {
    const char* name;
    const char* dtype;
};

constexpr StorageType kStorageTypes[] = {
    {"FloatStorage", "F32"}, {"HalfStorage", "F16"},  {"BFloat16Storage", "BF16"}, {"DoubleStorage", "F64"},
    {"LongStorage", "I64"},  {"IntStorage", "I32"},   {"ShortStorage", "I16"},     {"CharStorage", "I8"},
    {"ByteStorage", "U8"},   {"BoolStorage", "BOOL"},
};

enum Op : uint8_t {
    kMark = '(',
    kStop = '.',
    kPop = '0',
    kPopMark = '1',
    kDup = '2',
    kBinFloat = 'G',
    kBinInt = 'J',
    kBinInt1 = 'K',
    kBinInt2 = 'M',
    kNone = 'N',
    kBinPersId = 'Q',
    kReduce = 'R',
    kBinString = 'T',
    kShortBinString = 'U',
    kBinUnicode = 'X',
    kAppend = 'a',
    kBuild = 'b',
    kGlobal = 'c',
    kDict = 'd',
    kEmptyDict = '}',
    kAppends = 'e',
    kBinGet = 'h',
    kInst = 'i',
    kLongBinGet = 'j',
    kList = 'l',
    kEmptyList = ']',
    kObj = 'o',
    kBinPut = 'q',
    kLongBinPut = 'r',
    kSetItem = 's',
    kTuple = 't',
    kEmptyTuple = ')',
    kSetItems = 'u',
    kPersId = 'P',
    kBinBytes = 'B',
    kShortBinBytes = 'C',
    kProto = 0x80,
    kNewObj = 0x81,
    kExt1 = 0x82,
    kExt2 = 0x83,
    kExt4 = 0x84,
    kTuple1 = 0x85,
    kTuple2 = 0x86,
    kTuple3 = 0x87,
    kNewTrue = 0x88,
    kNewFalse = 0x89,
    kLong1 = 0x8a,
    kLong4 = 0x8b,
    kShortBinUnicode = 0x8c,
    kBinUnicode8 = 0x8d,
    kBinBytes8 = 0x8e,
    kEmptySet = 0x8f,
    kAddItems = 0x90,
    kFrozenSet = 0x91,
    kNewObjEx = 0x92,
    kStackGlobal = 0x93,
    kMemoize = 0x94,
    kFrame = 0x95,
    kByteArray8 = 0x96,
    kNextBuffer = 0x97,
    kReadOnlyBuffer = 0x98,
};

} // namespace

const char* pyKindName(PyKind kind)
{
    switch (kind) {
    case PyKind::None: return "None";
    case PyKind::Bool: return "bool";
    case PyKind::Int: return "int";
    case PyKind::BigInt: return "big int";
    case PyKind::Float: return "float";
    case PyKind::Str: return "str";
    case PyKind::Bytes: return "bytes";
    case PyKind::Tuple: return "tuple";
    case PyKind::List: return "list";
    case PyKind::Set: return "set";
    case PyKind::Dict: return "dict";
    case PyKind::Global: return "global";
    case PyKind::Storage: return "storage";
    case PyKind::Tensor: return "tensor";
    }
    return "?";
}

class PickleVm::Machine {
public:
    Machine(PickleVm& vm, const uint8_t* data, size_t size) : m_vm(vm), m_data(data), m_size(size) {}

    const PyObject* run()
    {
        while (m_pos < m_size) {
            m_opPos = m_pos;
            const uint8_t op = m_data[m_pos++];
            switch (op) {
            case kProto: {
                const uint8_t version = u8();
                if (version > 5)
                    fail("pickle protocol " + std::to_string(version) + " is newer than 5");
                break;
            }
            case kFrame: {
                // Frames only group opcodes for buffered reading; the length just has to be plausible.
                if (u64() > m_size - m_pos)
                    fail("frame longer than the rest of the pickle");
                break;
            }
            case kStop: return pop();

            case kMark:
                if (m_marks.size() >= kMaxStack)
                    fail("more than " + std::to_string(kMaxStack) + " nested marks");
                m_marks.push_back(m_stack.size());
                break;
            case kPop:
                if (stackAboveMark() > 0) // Python's POP: the top item, or the mark if nothing is above it
                    m_stack.pop_back();
                else
                    popMark();
                break;
            case kPopMark: popMark(); break;
            case kDup: push(top()); break;

            case kNone: push(make(PyKind::None)); break;
            case kNewTrue: pushBool(true); break;
            case kNewFalse: pushBool(false); break;
            case kBinInt: pushInt(int32_t(le32(take(4)))); break;
            case kBinInt1: pushInt(u8()); break;
            case kBinInt2: pushInt(le16(take(2))); break;
            case kLong1: pushLong(u8()); break;
            case kLong4: {
                const int32_t n = int32_t(le32(take(4)));
                if (n < 0)
                    fail("LONG4 with negative length");
                pushLong(size_t(n));
                break;
            }
            case kBinFloat: {
                const uint8_t* p = take(8);
                uint64_t bits = 0;
                for (int k = 0; k < 8; ++k)
                    bits = (bits << 8) | p[k];
                PyObject* o = make(PyKind::Float);
                std::memcpy(&o->f, &bits, sizeof bits);
                push(o);
                break;
            }

            case kBinUnicode: pushString(PyKind::Str, le32(take(4))); break;
            case kShortBinUnicode: pushString(PyKind::Str, u8()); break;
            case kBinUnicode8: pushString(PyKind::Str, u64()); break;
            case kBinString: {
                const int32_t n = int32_t(le32(take(4)));
                if (n < 0)
                    fail("BINSTRING with negative length");
                pushString(PyKind::Str, uint64_t(n));
                break;
            }
            case kShortBinString: pushString(PyKind::Str, u8()); break;
            case kBinBytes: pushString(PyKind::Bytes, le32(take(4))); break;
            case kShortBinBytes: pushString(PyKind::Bytes, u8()); break;
            case kBinBytes8:
            case kByteArray8: pushString(PyKind::Bytes, u64()); break;

            case kEmptyDict: push(make(PyKind::Dict)); break;
            case kEmptyList: push(make(PyKind::List)); break;
            case kEmptyTuple: push(make(PyKind::Tuple)); break;
            case kEmptySet: push(make(PyKind::Set)); break;
            case kTuple: push(fromItems(PyKind::Tuple, popMark())); break;
            case kList: push(fromItems(PyKind::List, popMark())); break;
            case kFrozenSet: push(fromItems(PyKind::Set, popMark())); break;
            case kTuple1:
            case kTuple2:
            case kTuple3: {
                const size_t n = size_t(op - kTuple1 + 1);
                if (stackAboveMark() < n)
                    fail("TUPLE" + std::to_string(n) + " on a stack of fewer than " + std::to_string(n) + " items");
                std::vector<PyObject*> items(m_stack.end() - long(n), m_stack.end());
                m_stack.resize(m_stack.size() - n);
                push(fromItems(PyKind::Tuple, std::move(items)));
                break;
            }
            case kDict: {
                auto items = popMark();
                PyObject* d = make(PyKind::Dict);
                setItems(d, items);
                push(d);
                break;
            }
            case kAppend: {
                PyObject* v = pop();
                PyObject* list = top();
                if (list->kind != PyKind::List)
                    fail(std::string("APPEND to a ") + pyKindName(list->kind));
                addItem(list, v);
                break;
            }
            case kAppends: {
                auto items = popMark();
                PyObject* list = top();
                if (list->kind != PyKind::List)
                    fail(std::string("APPENDS to a ") + pyKindName(list->kind));
                for (PyObject* v : items)
                    addItem(list, v);
                break;
            }
            case kAddItems: {
                auto items = popMark();
                PyObject* set = top();
                if (set->kind != PyKind::Set)
                    fail(std::string("ADDITEMS to a ") + pyKindName(set->kind));
                for (PyObject* v : items)
                    addItem(set, v);
                break;
            }
            case kSetItem: {
                PyObject* v = pop();
                PyObject* k = pop();
                setItems(top(), {k, v});
                break;
            }
            case kSetItems: {
                auto items = popMark();
                setItems(top(), items);
                break;
            }

            case kBinPut: memoPut(u8()); break;
            case kLongBinPut: memoPut(le32(take(4))); break;
            case kMemoize: memoPut(m_memoCount); break;
            case kBinGet: memoGet(u8()); break;
            case kLongBinGet: memoGet(le32(take(4))); break;

            case kGlobal: {
                std::string module = line();
                std::string name = line();
                push(makeGlobal(std::move(module), std::move(name)));
                break;
            }
            case kStackGlobal: {
                PyObject* name = pop();
                PyObject* module = pop();
                if (module->kind != PyKind::Str || name->kind != PyKind::Str)
                    fail("STACK_GLOBAL with a non-string module or name");
                push(makeGlobal(module->s, name->s));
                break;
            }
            case kReduce: {
                PyObject* args = pop();
                PyObject* callable = pop();
                push(call(callable, args));
                break;
            }
            case kNewObj: {
                PyObject* args = pop();
                PyObject* cls = pop();
                push(call(cls, args));
                break;
            }
            case kNewObjEx: {
                PyObject* kwargs = pop();
                PyObject* args = pop();
                PyObject* cls = pop();
                PyObject* result = call(cls, args);
                if (kwargs->kind != PyKind::Dict || !kwargs->items.empty())
                    fail("NEWOBJ_EX with keyword arguments");
                push(result);
                break;
            }
            case kInst: {
                std::string module = line();
                std::string name = line();
                PyObject* cls = makeGlobal(std::move(module), std::move(name));
                push(call(cls, fromItems(PyKind::Tuple, popMark())));
                break;
            }
            case kObj: {
                auto items = popMark();
                if (items.empty())
                    fail("OBJ without a class");
                PyObject* cls = items.front();
                items.erase(items.begin());
                push(call(cls, fromItems(PyKind::Tuple, std::move(items))));
                break;
            }
            case kBuild: {
                pop(); // the state: attributes of the object, which nothing here reads
                PyObject* target = top();
                if (target->kind == PyKind::Global)
                    refuse(*target);
                // An OrderedDict state_dict carries its _metadata as instance state; setting it runs no code.
                if (target->kind != PyKind::Dict)
                    fail(std::string("BUILD on a ") + pyKindName(target->kind));
                break;
            }
            case kBinPersId: push(persistentLoad(pop())); break;

            case kPersId: fail("text persistent ids (PERSID) are not used by PyTorch and are not supported");
            case kExt1:
            case kExt2:
            case kExt4: fail("extension registry codes (EXT1/2/4) are not supported");
            case kNextBuffer:
            case kReadOnlyBuffer: fail("out-of-band buffers are not supported");
            default: {
                static const char* kHex = "0123456789abcdef";
                fail(std::string("unsupported opcode 0x") + kHex[op >> 4] + kHex[op & 15]);
            }
            }
        }
        m_opPos = m_pos;
        fail("truncated: the pickle ends without STOP");
    }

private:
    [[noreturn]] void fail(const std::string& what) const
    {
        throw Error(ErrorKind::Format,
                    m_vm.m_context + ": malformed pickle: " + what + " at byte " + std::to_string(m_opPos));
    }

    [[noreturn]] void refuse(const PyObject& global) const
    {
        throw Error(ErrorKind::Format,
                    m_vm.m_context + ": refusing to unpickle: calls " + global.s + "." + global.name);
    }

    // --- input ---------------------------------------------------------------------------------------------

    const uint8_t* take(uint64_t n)
    {
        if (n > m_size - m_pos)
            fail("truncated: needs " + std::to_string(n) + " more bytes, " + std::to_string(m_size - m_pos) + " left");
        const uint8_t* p = m_data + m_pos;
        m_pos += size_t(n);
        return p;
    }
    uint8_t u8() { return *take(1); }
    uint64_t u64() { return le64(take(8)); }
    /// A text line of GLOBAL/INST, without its newline.
    std::string line()
    {
        const void* nl = std::memchr(m_data + m_pos, '\n', m_size - m_pos);
        if (!nl)
            fail("truncated: unterminated GLOBAL line");
        const size_t len = size_t(static_cast<const uint8_t*>(nl) - (m_data + m_pos));
        std::string s(reinterpret_cast<const char*>(m_data + m_pos), len);
        m_pos += len + 1;
        return s;
    }

    // --- values and the stack ------------------------------------------------------------------------------

    PyObject* make(PyKind kind)
    {
        if (m_vm.m_objects.size() >= kMaxObjects)
            fail("more than " + std::to_string(kMaxObjects) + " objects");
        m_vm.m_objects.emplace_back();
        PyObject* o = &m_vm.m_objects.back();
        o->kind = kind;
        return o;
    }
    PyObject* makeGlobal(std::string module, std::string name)
    {
        PyObject* g = make(PyKind::Global);
        g->s = std::move(module);
        g->name = std::move(name);
        return g;
    }
    void pushBool(bool v)
    {
        PyObject* o = make(PyKind::Bool);
        o->i = v;
        push(o);
    }
    void pushInt(int64_t v)
    {
        PyObject* o = make(PyKind::Int);
        o->i = v;
        push(o);
    }
    /// LONG1/LONG4: little-endian two's complement of n bytes; wider than 64 bits stays an opaque BigInt.
    void pushLong(size_t n)
    {
        const uint8_t* p = take(n);
        if (n > 8) {
            push(make(PyKind::BigInt));
            return;
        }
        uint64_t v = 0;
        for (size_t k = 0; k < n; ++k)
            v |= uint64_t(p[k]) << (8 * k);
        if (n > 0 && n < 8 && (p[n - 1] & 0x80))
            v |= ~uint64_t(0) << (8 * n); // sign-extend
        pushInt(int64_t(v));
    }
    void pushString(PyKind kind, uint64_t n)
    {
        const uint8_t* p = take(n);
        PyObject* o = make(kind);
        o->s.assign(reinterpret_cast<const char*>(p), size_t(n));
        push(o);
    }

    void push(PyObject* o)
    {
        if (m_stack.size() >= kMaxStack)
            fail("stack deeper than " + std::to_string(kMaxStack));
        m_stack.push_back(o);
    }
    size_t stackAboveMark() const { return m_stack.size() - (m_marks.empty() ? 0 : m_marks.back()); }
    PyObject* top()
    {
        if (stackAboveMark() == 0)
            fail("stack underflow");
        return m_stack.back();
    }
    PyObject* pop()
    {
        PyObject* o = top();
        m_stack.pop_back();
        return o;
    }
    std::vector<PyObject*> popMark()
    {
        if (m_marks.empty())
            fail("no MARK to pop to");
        const size_t mark = m_marks.back();
        m_marks.pop_back();
        std::vector<PyObject*> items(m_stack.begin() + long(mark), m_stack.end());
        m_stack.resize(mark);
        return items;
    }

    void addItem(PyObject* container, PyObject* item)
    {
        if (++m_itemCount > kMaxItems)
            fail("more than " + std::to_string(kMaxItems) + " container items");
        container->items.push_back(item);
    }
    PyObject* fromItems(PyKind kind, std::vector<PyObject*> items)
    {
        m_itemCount += items.size();
        if (m_itemCount > kMaxItems)
            fail("more than " + std::to_string(kMaxItems) + " container items");
        PyObject* o = make(kind);
        o->items = std::move(items);
        return o;
    }
    void setItems(PyObject* dict, const std::vector<PyObject*>& kv)
    {
        if (dict->kind != PyKind::Dict)
            fail(std::string("SETITEM on a ") + pyKindName(dict->kind));
        if (kv.size() % 2 != 0)
            fail("SETITEMS with an odd number of items");
        for (PyObject* o : kv)
            addItem(dict, o);
    }

    void memoPut(uint64_t index)
    {
        if (index >= kMaxMemo)
            fail("memo index " + std::to_string(index) + " beyond the limit of " + std::to_string(kMaxMemo));
        if (index >= m_memo.size())
            m_memo.resize(size_t(index) + 1, nullptr);
        if (!m_memo[index])
            ++m_memoCount;
        m_memo[index] = top();
    }
    void memoGet(uint64_t index)
    {
        if (index >= m_memo.size() || !m_memo[index])
            fail("memo index " + std::to_string(index) + " was never stored");
        push(m_memo[index]);
    }

    // --- the whitelist --------------------------------------------------------------------------------------

    static bool isInt(const PyObject* o) { return o->kind == PyKind::Int || o->kind == PyKind::Bool; }

    PyObject* call(PyObject* callable, PyObject* args)
    {
        if (callable->kind != PyKind::Global)
            fail(std::string("calls a ") + pyKindName(callable->kind));
        if (args->kind != PyKind::Tuple)
            fail("call arguments are a " + std::string(pyKindName(args->kind)) + ", not a tuple");
        const std::string& module = callable->s;
        const std::string& name = callable->name;
        const std::vector<PyObject*>& a = args->items;
        if (module == "collections" && name == "OrderedDict") {
            PyObject* d = make(PyKind::Dict);
            if (a.size() > 1)
                fail("OrderedDict() with more than one argument");
            if (a.size() == 1) {
                // OrderedDict([(k, v), ...]), as older protocols write it.
                if (a[0]->kind != PyKind::List && a[0]->kind != PyKind::Tuple)
                    fail("OrderedDict() of a " + std::string(pyKindName(a[0]->kind)));
                for (const PyObject* pair : a[0]->items) {
                    if ((pair->kind != PyKind::Tuple && pair->kind != PyKind::List) || pair->items.size() != 2)
                        fail("OrderedDict() of something other than pairs");
                    setItems(d, pair->items);
                }
            }
            return d;
        }
        if (module == "torch._utils") {
            if (name == "_rebuild_tensor_v2") {
                // (storage, storage_offset, size, stride, requires_grad, backward_hooks[, metadata])
                if (a.size() != 6 && a.size() != 7)
                    fail("_rebuild_tensor_v2 with " + std::to_string(a.size()) + " arguments");
                if (!isInt(a[4]))
                    fail("_rebuild_tensor_v2 with a non-boolean requires_grad");
                return rebuildTensor(a);
            }
            if (name == "_rebuild_tensor") {
                if (a.size() != 4)
                    fail("_rebuild_tensor with " + std::to_string(a.size()) + " arguments");
                return rebuildTensor(a);
            }
            if (name == "_rebuild_parameter" || name == "_rebuild_parameter_with_state") {
                // (data, requires_grad, backward_hooks[, state]): a Parameter is just its tensor here.
                const size_t expected = name == "_rebuild_parameter" ? 3 : 4;
                if (a.size() != expected || a[0]->kind != PyKind::Tensor)
                    fail(name + " with unexpected arguments");
                return a[0];
            }
        }
        refuse(*callable);
    }

    PyObject* rebuildTensor(const std::vector<PyObject*>& a)
    {
        if (a[0]->kind != PyKind::Storage)
            fail("tensor rebuilt from a " + std::string(pyKindName(a[0]->kind)) + ", not a storage");
        if (a[1]->kind != PyKind::Int || a[1]->i < 0)
            fail("tensor with a storage offset that is not a non-negative int");
        auto t = std::make_unique<PyTensor>();
        t->storage = a[0];
        t->offset = a[1]->i;
        auto ints = [&](const PyObject* o, const char* what, std::vector<int64_t>& out) {
            if (o->kind != PyKind::Tuple && o->kind != PyKind::List)
                fail(std::string("tensor ") + what + " is a " + pyKindName(o->kind) + ", not a tuple");
            if (o->items.size() > kMaxDims)
                fail(std::string("tensor ") + what + " has " + std::to_string(o->items.size()) +
                     " dimensions, more than " + std::to_string(kMaxDims));
            for (const PyObject* d : o->items) {
                if (d->kind != PyKind::Int || d->i < 0)
                    fail(std::string("tensor ") + what + " holds something other than a non-negative int");
                out.push_back(d->i);
            }
        };
        ints(a[2], "size", t->sizes);
        ints(a[3], "stride", t->strides);
        if (t->sizes.size() != t->strides.size())
            fail("tensor size and stride differ in length");
        PyObject* o = make(PyKind::Tensor);
        o->tensor = std::move(t);
        return o;
    }

    PyObject* persistentLoad(PyObject* pid)
    {
        // ('storage', torch.<Type>Storage, key, location, numel): the only persistent id torch.save writes.
        const auto& p = pid->items;
        if (pid->kind != PyKind::Tuple || p.size() != 5 || p[0]->kind != PyKind::Str || p[0]->s != "storage")
            fail("persistent id that is not a ('storage', type, key, location, numel) tuple");
        if (p[1]->kind != PyKind::Global || p[2]->kind != PyKind::Str || p[3]->kind != PyKind::Str ||
            p[4]->kind != PyKind::Int || p[4]->i < 0)
            fail("storage persistent id with malformed fields");
        const char* dtype = nullptr;
        if (p[1]->s == "torch")
            for (const auto& st : kStorageTypes)
                if (p[1]->name == st.name)
                    dtype = st.dtype;
        if (!dtype)
            throw Error(ErrorKind::Unsupported,
                        m_vm.m_context + ": storage type " + p[1]->s + "." + p[1]->name + " is not supported");
        auto it = m_storages.find(p[2]->s);
        if (it != m_storages.end()) {
            const PyStorage& known = *it->second->storage;
            if (known.dtype != dtype || known.numel != p[4]->i)
                fail("storage '" + p[2]->s + "' declared twice with different types or sizes");
            return it->second;
        }
        PyObject* o = make(PyKind::Storage);
        o->storage = std::make_unique<PyStorage>();
        o->storage->key = p[2]->s;
        o->storage->dtype = dtype;
        o->storage->numel = p[4]->i;
        m_storages.emplace(p[2]->s, o);
        return o;
    }

    PickleVm& m_vm;
    const uint8_t* m_data;
    size_t m_size;
    size_t m_pos = 0;
    size_t m_opPos = 0;
    std::vector<PyObject*> m_stack;
    std::vector<size_t> m_marks;
    std::vector<PyObject*> m_memo;
    size_t m_memoCount = 0;
    size_t m_itemCount = 0;
    std::unordered_map<std::string, PyObject*> m_storages;
};

PickleVm::PickleVm(std::string context) : m_context(std::move(context)) {}

const PyObject* PickleVm::run(const uint8_t* data, size_t size)
{
    Machine machine(*this, data, size);
    return machine.run();
}

} // namespace invseg
