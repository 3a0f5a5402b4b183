#pragma once

#include "core/model/rawtensor.h"
#include "core/util/result.h"

#include <QByteArray>
#include <QString>

#include <functional>
#include <memory>
#include <utility>
#include <vector>

namespace saccade {

struct PickleValue;
using PickleRef = std::shared_ptr<PickleValue>;

/// One value of an unpickled checkpoint: plain data, a tensor, or a reference to an allowed global.
struct PickleValue {
    PickleValue() = default;
    /// Releases nested values with a work list instead of recursion, so a deeply nested pickle cannot
    /// overflow the stack when it is freed.
    ~PickleValue();
    PickleValue(const PickleValue&) = delete;
    PickleValue& operator=(const PickleValue&) = delete;

    enum class Kind { None, Bool, Int, Float, String, Bytes, List, Tuple, Dict, Global, Storage, Tensor };

    Kind kind = Kind::None;
    bool boolean = false;
    int64_t integer = 0;
    double real = 0;
    /// String (UTF-8), Bytes, Global ("module.name").
    QByteArray text;
    /// List and Tuple items.
    std::vector<PickleRef> items;
    /// Dict entries in insertion order.
    std::vector<std::pair<PickleRef, PickleRef>> entries;
    /// Storage (shape empty) and Tensor.
    RawTensor tensor;

    bool isString() const { return kind == Kind::String; }
    QString toString() const { return QString::fromUtf8(text); }
    /// The value under a string key of a Dict, or null.
    PickleRef get(const QString& key) const;
};

/// Deepest nesting of containers unpickle() accepts (state dicts nest a handful of levels; Python's own
/// recursion limit is 1000).
constexpr int kMaxPickleDepth = 500;

/// Returns the bytes of the storage a persistent id names (`key`, element type).
using StorageResolver = std::function<Result<RawTensor>(const QString& key, DType dtype)>;

/// A pickle reader that never executes anything: it understands the opcodes of protocols 0-5 that
/// build plain data, and accepts only the globals a state dict needs (`collections.OrderedDict`,
/// `torch._utils._rebuild_tensor_v2`, `torch._utils._rebuild_parameter`, `torch.*Storage`). Any other
/// global (`os.system`, `builtins.eval`, ...) is refused with an error naming it. A result that refers
/// to itself or nests deeper than kMaxPickleDepth is refused, so walking it recursively is safe. Runs
/// on the caller's thread; `path` only names the source in errors.
Result<PickleRef> unpickle(const QByteArray& data, const StorageResolver& resolver, const QString& path);

} // namespace saccade
