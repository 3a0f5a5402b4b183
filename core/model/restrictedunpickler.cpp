#include "core/model/restrictedunpickler.h"

#include <QHash>

#include <cstring>
#include <unordered_map>
#include <unordered_set>

namespace saccade {

namespace {

struct StorageType {
    const char* name;
    DType dtype;
};

constexpr StorageType kStorageTypes[] = {
    {"torch.FloatStorage", DType::Float32},     {"torch.HalfStorage", DType::Float16},
    {"torch.BFloat16Storage", DType::BFloat16}, {"torch.DoubleStorage", DType::Float64},
    {"torch.LongStorage", DType::Int64},        {"torch.IntStorage", DType::Int32},
    {"torch.ShortStorage", DType::Int16},       {"torch.CharStorage", DType::Int8},
    {"torch.ByteStorage", DType::UInt8},        {"torch.BoolStorage", DType::Bool},
};

const char* const kOrderedDict = "collections.OrderedDict";
const char* const kRebuildTensor = "torch._utils._rebuild_tensor_v2";
const char* const kRebuildParameter = "torch._utils._rebuild_parameter";

PickleRef make(PickleValue::Kind kind) {
    auto value = std::make_shared<PickleValue>();
    value->kind = kind;
    return value;
}

bool isAllowedGlobal(const QByteArray& name) {
    if (name == kOrderedDict || name == kRebuildTensor || name == kRebuildParameter)
        return true;
    for (const StorageType& type : kStorageTypes) {
        if (name == type.name)
            return true;
    }
    return false;
}

class Machine {
public:
    Machine(const QByteArray& data, const StorageResolver& resolver, const QString& path)
        : m_data(data), m_resolver(resolver), m_path(path) {}

    Result<PickleRef> run();
    /// Everything on the stack and in the memo, which the machine forgets.
    std::vector<PickleRef> release() {
        std::vector<PickleRef> values = std::move(m_stack);
        m_stack.clear();
        for (auto& [key, value] : m_memo)
            values.push_back(std::move(value));
        m_memo.clear();
        return values;
    }

private:
    Error fail(const QString& message) const {
        return Error::invalidData(
            m_path, QStringLiteral("pickle data.pkl offset %1: %2").arg(m_position).arg(message));
    }
    bool take(int64_t count, const char** out) {
        if (count < 0 || count > m_data.size() - m_position)
            return false;
        *out = m_data.constData() + m_position;
        m_position += count;
        return true;
    }
    bool readUnsigned(int width, uint64_t* out) {
        const char* at = nullptr;
        if (!take(width, &at))
            return false;
        *out = 0;
        for (int i = 0; i < width; ++i)
            *out |= static_cast<uint64_t>(static_cast<unsigned char>(at[i])) << (8 * i);
        return true;
    }
    bool readLine(QByteArray* out) {
        const int64_t end = m_data.indexOf('\n', static_cast<qsizetype>(m_position));
        if (end < 0)
            return false;
        *out = m_data.mid(static_cast<qsizetype>(m_position), static_cast<qsizetype>(end - m_position));
        m_position = end + 1;
        return true;
    }
    bool pop(PickleRef* out) {
        if (m_stack.empty() || (!m_marks.empty() && m_stack.size() <= m_marks.back()))
            return false;
        *out = std::move(m_stack.back());
        m_stack.pop_back();
        return true;
    }
    bool popMark(std::vector<PickleRef>* items) {
        if (m_marks.empty())
            return false;
        const size_t mark = m_marks.back();
        m_marks.pop_back();
        items->assign(std::make_move_iterator(m_stack.begin() + static_cast<std::ptrdiff_t>(mark)),
                      std::make_move_iterator(m_stack.end()));
        m_stack.resize(mark);
        return true;
    }
    Status pushGlobal(const QByteArray& module, const QByteArray& name);
    Status reduce(const PickleRef& callable, const PickleRef& arguments);
    Status persistentLoad(const PickleRef& id);
    Status setItems(const PickleRef& dict, std::vector<PickleRef>& items);
    PickleRef makeString(const char* at, int64_t length, PickleValue::Kind kind) {
        PickleRef value = make(kind);
        value->text = QByteArray(at, static_cast<qsizetype>(length));
        return value;
    }

    const QByteArray& m_data;
    const StorageResolver& m_resolver;
    QString m_path;
    int64_t m_position = 0;
    std::vector<PickleRef> m_stack;
    std::vector<size_t> m_marks;
    std::unordered_map<uint64_t, PickleRef> m_memo;
};

Status Machine::pushGlobal(const QByteArray& module, const QByteArray& name) {
    const QByteArray full = module + '.' + name;
    if (!isAllowedGlobal(full))
        return Error::unsupported(m_path,
                                  QStringLiteral("refusing to load: the pickle references the global '%1', "
                                                 "which could run code; only tensors and plain data are "
                                                 "accepted")
                                      .arg(QString::fromUtf8(full)));
    PickleRef value = make(PickleValue::Kind::Global);
    value->text = full;
    m_stack.push_back(std::move(value));
    return {};
}

Status Machine::reduce(const PickleRef& callable, const PickleRef& arguments) {
    if (callable->kind != PickleValue::Kind::Global || arguments->kind != PickleValue::Kind::Tuple)
        return fail(QStringLiteral("REDUCE on something other than an allowed global"));
    const std::vector<PickleRef>& args = arguments->items;
    if (callable->text == kOrderedDict) {
        m_stack.push_back(make(PickleValue::Kind::Dict));
        return {};
    }
    if (callable->text == kRebuildParameter) {
        if (args.empty() || args[0]->kind != PickleValue::Kind::Tensor)
            return fail(QStringLiteral("_rebuild_parameter needs a tensor"));
        m_stack.push_back(args[0]);
        return {};
    }
    if (callable->text == kRebuildTensor) {
        // (storage, storage_offset, size, stride, requires_grad, backward_hooks[, metadata])
        if (args.size() < 4 || args[0]->kind != PickleValue::Kind::Storage ||
            args[1]->kind != PickleValue::Kind::Int || args[2]->kind != PickleValue::Kind::Tuple ||
            args[3]->kind != PickleValue::Kind::Tuple || args[2]->items.size() != args[3]->items.size())
            return fail(QStringLiteral("malformed _rebuild_tensor_v2 arguments"));
        PickleRef tensor = make(PickleValue::Kind::Tensor);
        tensor->tensor = args[0]->tensor;
        for (size_t i = 0; i < args[2]->items.size(); ++i) {
            if (args[2]->items[i]->kind != PickleValue::Kind::Int ||
                args[3]->items[i]->kind != PickleValue::Kind::Int)
                return fail(QStringLiteral("tensor size and stride must be integers"));
            tensor->tensor.shape.push_back(args[2]->items[i]->integer);
            tensor->tensor.strides.push_back(args[3]->items[i]->integer);
        }
        int64_t offsetBytes = 0;
        const bool offsetFits =
            args[1]->integer >= 0 &&
            !__builtin_mul_overflow(args[1]->integer, int64_t(dtypeSize(tensor->tensor.dtype)),
                                    &offsetBytes) &&
            !__builtin_add_overflow(tensor->tensor.byteOffset, offsetBytes, &tensor->tensor.byteOffset);
        if (!offsetFits || !tensor->tensor.fitsStorage())
            return fail(QStringLiteral("tensor %1 with offset %2 does not fit its storage")
                            .arg(tensor->tensor.shapeString())
                            .arg(args[1]->integer));
        m_stack.push_back(std::move(tensor));
        return {};
    }
    return fail(QStringLiteral("'%1' cannot be called").arg(QString::fromUtf8(callable->text)));
}

Status Machine::persistentLoad(const PickleRef& id) {
    // ('storage', <storage type>, key, location, element count)
    if (id->kind != PickleValue::Kind::Tuple || id->items.size() < 3 || id->items[0]->text != "storage" ||
        id->items[1]->kind != PickleValue::Kind::Global)
        return fail(QStringLiteral("unsupported persistent id"));
    std::optional<DType> dtype;
    for (const StorageType& type : kStorageTypes) {
        if (id->items[1]->text == type.name)
            dtype = type.dtype;
    }
    if (!dtype)
        return fail(QStringLiteral("'%1' is not a storage type").arg(QString::fromUtf8(id->items[1]->text)));
    if (!m_resolver)
        return fail(QStringLiteral("tensor data outside an archive"));
    Result<RawTensor> storage = m_resolver(id->items[2]->toString(), *dtype);
    if (!storage.ok())
        return storage.error();
    PickleRef value = make(PickleValue::Kind::Storage);
    value->tensor = std::move(storage).value();
    value->tensor.dtype = *dtype;
    m_stack.push_back(std::move(value));
    return {};
}

Status Machine::setItems(const PickleRef& dict, std::vector<PickleRef>& items) {
    if (dict->kind != PickleValue::Kind::Dict || items.size() % 2 != 0)
        return fail(QStringLiteral("SETITEMS on a non-dict"));
    for (size_t i = 0; i < items.size(); i += 2)
        dict->entries.emplace_back(std::move(items[i]), std::move(items[i + 1]));
    return {};
}

Result<PickleRef> Machine::run() {
    using Kind = PickleValue::Kind;
    while (true) {
        const char* at = nullptr;
        if (!take(1, &at))
            return fail(QStringLiteral("data ends before STOP (truncated?)"));
        const auto opcode = static_cast<unsigned char>(*at);
        uint64_t number = 0;
        PickleRef a;
        PickleRef b;
        std::vector<PickleRef> items;
        Status status;
        switch (opcode) {
        case 0x80: // PROTO
            if (!readUnsigned(1, &number))
                return fail(QStringLiteral("truncated"));
            break;
        case 0x95: // FRAME
            if (!readUnsigned(8, &number))
                return fail(QStringLiteral("truncated"));
            break;
        case '.': // STOP
            if (m_stack.size() != 1)
                return fail(QStringLiteral("STOP with %1 values on the stack").arg(m_stack.size()));
            return m_stack.back();
        case '(': // MARK
            m_marks.push_back(m_stack.size());
            break;
        case 'N':
            m_stack.push_back(make(Kind::None));
            break;
        case 0x88:
        case 0x89: {
            PickleRef value = make(Kind::Bool);
            value->boolean = opcode == 0x88;
            m_stack.push_back(std::move(value));
            break;
        }
        case 'J':
        case 'K':
        case 'M': {
            const int width = opcode == 'J' ? 4 : (opcode == 'K' ? 1 : 2);
            if (!readUnsigned(width, &number))
                return fail(QStringLiteral("truncated integer"));
            PickleRef value = make(Kind::Int);
            value->integer = opcode == 'J' ? static_cast<int32_t>(number) : static_cast<int64_t>(number);
            m_stack.push_back(std::move(value));
            break;
        }
        case 0x8a: { // LONG1
            uint64_t length = 0;
            if (!readUnsigned(1, &length) || length > 8 || !readUnsigned(static_cast<int>(length), &number))
                return fail(QStringLiteral("integer too large or truncated"));
            PickleRef value = make(Kind::Int);
            if (length > 0 && length < 8 && (number >> (8 * length - 1)) & 1)
                number |= ~uint64_t(0) << (8 * length);
            value->integer = static_cast<int64_t>(number);
            m_stack.push_back(std::move(value));
            break;
        }
        case 'I':
        case 'L': { // INT, LONG (text)
            QByteArray line;
            if (!readLine(&line))
                return fail(QStringLiteral("truncated"));
            if (line.endsWith('L'))
                line.chop(1);
            if (opcode == 'I' && (line == "00" || line == "01")) {
                PickleRef value = make(Kind::Bool);
                value->boolean = line == "01";
                m_stack.push_back(std::move(value));
                break;
            }
            bool ok = false;
            PickleRef value = make(Kind::Int);
            value->integer = line.toLongLong(&ok);
            if (!ok)
                return fail(QStringLiteral("invalid integer"));
            m_stack.push_back(std::move(value));
            break;
        }
        case 'G': { // BINFLOAT, big-endian
            if (!take(8, &at))
                return fail(QStringLiteral("truncated float"));
            uint64_t bits = 0;
            for (int i = 0; i < 8; ++i)
                bits = (bits << 8) | static_cast<unsigned char>(at[i]);
            PickleRef value = make(Kind::Float);
            std::memcpy(&value->real, &bits, sizeof(double));
            m_stack.push_back(std::move(value));
            break;
        }
        case 'F': { // FLOAT (text)
            QByteArray line;
            bool ok = false;
            if (!readLine(&line))
                return fail(QStringLiteral("truncated"));
            PickleRef value = make(Kind::Float);
            value->real = line.toDouble(&ok);
            if (!ok)
                return fail(QStringLiteral("invalid float"));
            m_stack.push_back(std::move(value));
            break;
        }
        case 'X':
        case 0x8c:
        case 0x8d:
        case 'T':
        case 'U':
        case 'B':
        case 'C':
        case 0x8e: {
            const int width = (opcode == 0x8c || opcode == 'U' || opcode == 'C') ? 1
                              : (opcode == 0x8d || opcode == 0x8e)               ? 8
                                                                                 : 4;
            const Kind kind = (opcode == 'B' || opcode == 'C' || opcode == 0x8e) ? Kind::Bytes : Kind::String;
            if (!readUnsigned(width, &number) || number > static_cast<uint64_t>(m_data.size()) ||
                !take(static_cast<int64_t>(number), &at))
                return fail(QStringLiteral("string runs past the end (truncated?)"));
            m_stack.push_back(makeString(at, static_cast<int64_t>(number), kind));
            break;
        }
        case 'V':
        case 'S': { // UNICODE, STRING (text; protocol 0)
            QByteArray line;
            if (!readLine(&line))
                return fail(QStringLiteral("truncated"));
            if (opcode == 'S' && line.size() >= 2)
                line = line.mid(1, line.size() - 2);
            m_stack.push_back(makeString(line.constData(), line.size(), Kind::String));
            break;
        }
        case '}':
            m_stack.push_back(make(Kind::Dict));
            break;
        case ']':
            m_stack.push_back(make(Kind::List));
            break;
        case ')':
            m_stack.push_back(make(Kind::Tuple));
            break;
        case 0x8f: // EMPTY_SET: sets hold plain data here; a list keeps it
            m_stack.push_back(make(Kind::List));
            break;
        case 't':
        case 'l':
        case 0x91: { // TUPLE, LIST, FROZENSET
            if (!popMark(&items))
                return fail(QStringLiteral("no MARK"));
            PickleRef value = make(opcode == 't' ? Kind::Tuple : Kind::List);
            value->items = std::move(items);
            m_stack.push_back(std::move(value));
            break;
        }
        case 0x85:
        case 0x86:
        case 0x87: { // TUPLE1..3
            const size_t count = opcode - 0x84u;
            PickleRef value = make(Kind::Tuple);
            value->items.resize(count);
            for (size_t i = count; i > 0; --i) {
                if (!pop(&value->items[i - 1]))
                    return fail(QStringLiteral("stack underflow"));
            }
            m_stack.push_back(std::move(value));
            break;
        }
        case 'd': { // DICT
            if (!popMark(&items))
                return fail(QStringLiteral("no MARK"));
            PickleRef value = make(Kind::Dict);
            status = setItems(value, items);
            if (!status.ok())
                return status.error();
            m_stack.push_back(std::move(value));
            break;
        }
        case 's': // SETITEM
            if (!pop(&b) || !pop(&a) || m_stack.empty())
                return fail(QStringLiteral("stack underflow"));
            items = {a, b};
            status = setItems(m_stack.back(), items);
            if (!status.ok())
                return status.error();
            break;
        case 'u': // SETITEMS
            if (!popMark(&items) || m_stack.empty())
                return fail(QStringLiteral("stack underflow"));
            status = setItems(m_stack.back(), items);
            if (!status.ok())
                return status.error();
            break;
        case 'a': // APPEND
            if (!pop(&a) || m_stack.empty() || m_stack.back()->kind != Kind::List)
                return fail(QStringLiteral("APPEND to a non-list"));
            m_stack.back()->items.push_back(std::move(a));
            break;
        case 'e':
        case 0x90: // APPENDS, ADDITEMS
            if (!popMark(&items) || m_stack.empty() || m_stack.back()->kind != Kind::List)
                return fail(QStringLiteral("APPENDS to a non-list"));
            for (PickleRef& item : items)
                m_stack.back()->items.push_back(std::move(item));
            break;
        case '0': // POP
            if (!pop(&a))
                return fail(QStringLiteral("stack underflow"));
            break;
        case '1': // POP_MARK
            if (!popMark(&items))
                return fail(QStringLiteral("no MARK"));
            break;
        case '2': // DUP
            if (m_stack.empty())
                return fail(QStringLiteral("stack underflow"));
            m_stack.push_back(m_stack.back());
            break;
        case 'p':
        case 'g': { // PUT, GET (text)
            QByteArray line;
            bool ok = false;
            if (!readLine(&line))
                return fail(QStringLiteral("truncated"));
            number = line.toULongLong(&ok);
            if (!ok)
                return fail(QStringLiteral("invalid memo index"));
            if (opcode == 'p') {
                if (m_stack.empty())
                    return fail(QStringLiteral("stack underflow"));
                m_memo[number] = m_stack.back();
            } else {
                const auto it = m_memo.find(number);
                if (it == m_memo.end())
                    return fail(QStringLiteral("memo %1 is not defined").arg(number));
                m_stack.push_back(it->second);
            }
            break;
        }
        case 'q':
        case 'r':
        case 0x94: // BINPUT, LONG_BINPUT, MEMOIZE
            if (opcode != 0x94 && !readUnsigned(opcode == 'q' ? 1 : 4, &number))
                return fail(QStringLiteral("truncated"));
            if (opcode == 0x94)
                number = m_memo.size();
            if (m_stack.empty())
                return fail(QStringLiteral("stack underflow"));
            m_memo[number] = m_stack.back();
            break;
        case 'h':
        case 'j': { // BINGET, LONG_BINGET
            if (!readUnsigned(opcode == 'h' ? 1 : 4, &number))
                return fail(QStringLiteral("truncated"));
            const auto it = m_memo.find(number);
            if (it == m_memo.end())
                return fail(QStringLiteral("memo %1 is not defined").arg(number));
            m_stack.push_back(it->second);
            break;
        }
        case 'c': { // GLOBAL
            QByteArray module;
            QByteArray name;
            if (!readLine(&module) || !readLine(&name))
                return fail(QStringLiteral("truncated"));
            status = pushGlobal(module, name);
            if (!status.ok())
                return status.error();
            break;
        }
        case 0x93: // STACK_GLOBAL
            if (!pop(&b) || !pop(&a) || !a->isString() || !b->isString())
                return fail(QStringLiteral("STACK_GLOBAL needs two strings"));
            status = pushGlobal(a->text, b->text);
            if (!status.ok())
                return status.error();
            break;
        case 'R':
        case 0x81: // REDUCE, NEWOBJ
            if (!pop(&b) || !pop(&a))
                return fail(QStringLiteral("stack underflow"));
            status = reduce(a, b);
            if (!status.ok())
                return status.error();
            break;
        case 'b': // BUILD: object state (a state dict's _metadata) is not needed; nothing is called
            if (!pop(&a) || m_stack.empty())
                return fail(QStringLiteral("stack underflow"));
            break;
        case 'Q': // BINPERSID
            if (!pop(&a))
                return fail(QStringLiteral("stack underflow"));
            status = persistentLoad(a);
            if (!status.ok())
                return status.error();
            break;
        default:
            return Error::unsupported(
                m_path,
                QStringLiteral("pickle data.pkl offset %1: opcode 0x%2 is not allowed (it could build "
                               "arbitrary objects or is unknown)")
                    .arg(m_position - 1)
                    .arg(opcode, 2, 16, QLatin1Char('0')));
        }
    }
}

// Moves every child of `value` onto `pending`.
void takeChildren(PickleValue& value, std::vector<PickleRef>* pending) {
    for (PickleRef& item : value.items)
        pending->push_back(std::move(item));
    value.items.clear();
    for (auto& [key, item] : value.entries) {
        pending->push_back(std::move(key));
        pending->push_back(std::move(item));
    }
    value.entries.clear();
}

// Empties every container reachable from `roots`, which frees values that refer to themselves (a
// cycle of shared pointers is never freed otherwise). Only for values nobody else uses.
void breakCycles(std::vector<PickleRef> roots) {
    std::unordered_set<const PickleValue*> seen;
    while (!roots.empty()) {
        PickleRef value = std::move(roots.back());
        roots.pop_back();
        if (value && seen.insert(value.get()).second)
            takeChildren(*value, &roots);
    }
}

// Refuses a result that contains itself or nests deeper than kMaxPickleDepth, walking it with an
// explicit stack.
Status checkShape(const PickleRef& root, const QString& path) {
    enum class State { Open, Done };
    std::unordered_map<const PickleValue*, State> states;
    struct Frame {
        const PickleValue* value;
        size_t next;
    };
    std::vector<Frame> stack;
    auto child = [](const PickleValue* value, size_t index) -> const PickleValue* {
        if (index < value->items.size())
            return value->items[index].get();
        index -= value->items.size();
        if (index / 2 < value->entries.size())
            return (index % 2 == 0 ? value->entries[index / 2].first : value->entries[index / 2].second)
                .get();
        return nullptr;
    };
    if (!root)
        return {};
    stack.push_back({root.get(), 0});
    states[root.get()] = State::Open;
    while (!stack.empty()) {
        Frame& frame = stack.back();
        const size_t children = frame.value->items.size() + 2 * frame.value->entries.size();
        if (frame.next >= children) {
            states[frame.value] = State::Done;
            stack.pop_back();
            continue;
        }
        const PickleValue* next = child(frame.value, frame.next++);
        if (!next)
            continue;
        const auto found = states.find(next);
        if (found != states.end()) {
            if (found->second == State::Open)
                return Error::invalidData(path, QStringLiteral("the pickle contains a value that refers to "
                                                               "itself, which a state dict never does"));
            continue;
        }
        if (stack.size() >= size_t(kMaxPickleDepth))
            return Error::invalidData(
                path,
                QStringLiteral("the pickle nests containers more than %1 levels deep").arg(kMaxPickleDepth));
        states[next] = State::Open;
        stack.push_back({next, 0});
    }
    return {};
}

} // namespace

PickleValue::~PickleValue() {
    std::vector<PickleRef> pending;
    takeChildren(*this, &pending);
    while (!pending.empty()) {
        PickleRef value = std::move(pending.back());
        pending.pop_back();
        // The last owner takes the children first, so freeing `value` here recurses no further.
        if (value && value.use_count() == 1)
            takeChildren(*value, &pending);
    }
}

PickleRef PickleValue::get(const QString& key) const {
    for (const auto& [name, value] : entries) {
        if (name->isString() && name->toString() == key)
            return value;
    }
    return nullptr;
}

Result<PickleRef> unpickle(const QByteArray& data, const StorageResolver& resolver, const QString& path) {
    Machine machine(data, resolver, path);
    Result<PickleRef> result = machine.run();
    Status shape = result.ok() ? checkShape(result.value(), path) : Status();
    if (result.ok() && shape.ok())
        return result;
    // Whatever was built is garbage now, cycles included.
    std::vector<PickleRef> everything = machine.release();
    if (result.ok())
        everything.push_back(result.value());
    breakCycles(std::move(everything));
    return result.ok() ? shape.error() : result.error();
}

} // namespace saccade
