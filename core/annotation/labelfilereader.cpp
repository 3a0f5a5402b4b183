#include "core/annotation/labelfilereader.h"

#include "core/util/filereading.h"
#include "core/util/jsonfile.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QSet>

#include <map>

namespace saccade {

namespace {

Result<QStringList> fromIdMap(const QJsonObject& map, const QString& path) {
    std::map<int, QString> byId;
    for (auto it = map.begin(); it != map.end(); ++it) {
        bool ok = false;
        const int id = it.key().toInt(&ok);
        if (!ok || id < 0)
            return Error::invalidData(path,
                                      QStringLiteral("id2label key '%1' is not a class id").arg(it.key()));
        if (!it.value().isString())
            return Error::invalidData(path, QStringLiteral("id2label entry %1 is not a string").arg(id));
        byId[id] = it.value().toString();
    }
    QStringList names;
    int expected = 0;
    for (const auto& [id, name] : byId) {
        if (id != expected)
            return Error::invalidData(path, QStringLiteral("id2label has no class %1").arg(expected));
        names << name;
        ++expected;
    }
    return names;
}

Result<QStringList> checked(QStringList names, const QString& path) {
    if (names.isEmpty())
        return Error::invalidData(path, QStringLiteral("no labels found"));
    QSet<QString> seen;
    seen.reserve(names.size());
    for (int i = 0; i < names.size(); ++i) {
        names[i] = names[i].trimmed();
        if (names[i].isEmpty())
            return Error::invalidData(path, QStringLiteral("label %1 is empty").arg(i));
        if (seen.contains(names[i]))
            return Error::invalidData(path, QStringLiteral("label '%1' appears twice").arg(names[i]));
        seen.insert(names[i]);
    }
    return names;
}

} // namespace

Result<QStringList> LabelFileReader::read(const QString& path) {
    auto bytes = readWholeFile(path, QStringLiteral("label file"));
    if (!bytes)
        return bytes.error();
    return parse(*bytes, path);
}

Result<QStringList> LabelFileReader::parse(const QByteArray& withBom, const QString& path) {
    // Editors on Windows start UTF-8 files with a byte order mark; it is not part of the first label
    // (and hid a JSON list, which then became one label named after the whole list).
    const QByteArray content = withBom.startsWith("\xEF\xBB\xBF") ? withBom.mid(3) : withBom;
    const QByteArray trimmed = content.trimmed();
    if (trimmed.startsWith('[') || trimmed.startsWith('{')) {
        auto document = parseJson(content, path);
        if (!document)
            return document.error();
        if (document->isArray()) {
            QStringList names;
            for (const QJsonValue& value : document->array()) {
                if (!value.isString())
                    return Error::invalidData(path, QStringLiteral("label list entries must be strings"));
                names << value.toString();
            }
            return checked(names, path);
        }
        QJsonObject object = document->object();
        if (object.value(QStringLiteral("id2label")).isObject())
            object = object.value(QStringLiteral("id2label")).toObject();
        auto names = fromIdMap(object, path);
        if (!names)
            return names.error();
        return checked(*names, path);
    }
    QStringList names;
    for (const QString& line : QString::fromUtf8(content).split(QLatin1Char('\n'))) {
        if (!line.trimmed().isEmpty())
            names << line;
    }
    return checked(names, path);
}

} // namespace saccade
