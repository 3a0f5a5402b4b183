#pragma once

#include "core/util/result.h"

#include <QStringList>

namespace saccade {

/// Reads class names from a label file, whichever of the common shapes it has:
/// - plain text, one label per line (blank lines and surrounding spaces ignored);
/// - a JSON list of names: `["run", "jump"]`;
/// - a JSON `id2label` map (`{"0": "run", "1": "jump"}`), ordered by id;
/// - a Hugging Face `config.json` with an `id2label` member.
/// Ids must be 0..N-1 without gaps; duplicate names are refused. Any thread.
class LabelFileReader {
public:
    static Result<QStringList> read(const QString& path);
    static Result<QStringList> parse(const QByteArray& content, const QString& path);
};

} // namespace saccade
