#pragma once

#include "core/annotation/projectdata.h"

#include <QStringList>

#include <set>
#include <tuple>

namespace saccade::testing {

inline Segment makeSegment(const QString& id, qint64 start, qint64 end, const QString& label,
                           SegmentState state = SegmentState::Accepted) {
    Segment segment;
    segment.id = id;
    segment.startFrame = start;
    segment.endFrame = end;
    segment.label = label;
    segment.state = state;
    if (state == SegmentState::Proposed) {
        segment.source.origin = SegmentOrigin::Model;
        segment.source.modelHash = QStringLiteral("sha256:cafe");
        segment.source.confidence = 0.875;
    }
    return segment;
}

/// Two videos at different frame rates; labels with a space, a comma and a quote; overlapping,
/// proposed, rejected and edited segments; one segment running to the last frame.
inline ProjectData sampleProject() {
    ProjectData data;
    data.name = QStringLiteral("sample");
    data.labels = LabelSet::fromNames({QStringLiteral("air drumming"), QStringLiteral("jump, high"),
                                       QStringLiteral("say \"hi\""), QStringLiteral("walk")})
                      .value();
    VideoEntry first;
    first.id = QStringLiteral("clip_a");
    first.path = QStringLiteral("/videos/clip a.mp4");
    first.contentHash = QStringLiteral("sha256-sampled:aaaa");
    first.probe = {320, 240, 30.0, 300, 10.0};
    first.split = Split::Train;
    first.segments = {
        makeSegment(QStringLiteral("s1"), 30, 90, QStringLiteral("air drumming")),
        makeSegment(QStringLiteral("s2"), 60, 120, QStringLiteral("jump, high")),
        makeSegment(QStringLiteral("s3"), 150, 200, QStringLiteral("walk"), SegmentState::Proposed),
        makeSegment(QStringLiteral("s4"), 200, 250, QStringLiteral("walk"), SegmentState::Rejected),
        makeSegment(QStringLiteral("s5"), 250, 300, QStringLiteral("say \"hi\""), SegmentState::Edited)};
    VideoEntry second;
    second.id = QStringLiteral("clip_b");
    second.path = QStringLiteral("/videos/clip_b.mkv");
    second.contentHash = QStringLiteral("sha256-sampled:bbbb");
    second.probe = {640, 360, 25.0, 250, 10.0};
    second.split = Split::Val;
    second.segments = {makeSegment(QStringLiteral("t1"), 0, 1, QStringLiteral("walk")),
                       makeSegment(QStringLiteral("t2"), 13, 77, QStringLiteral("air drumming"))};
    data.videos = {first, second};
    return data;
}

/// The same project without any segment: what an import fills in again.
inline ProjectData withoutSegments(ProjectData data) {
    for (VideoEntry& video : data.videos) {
        video.segments.clear();
        video.split = Split::Unassigned;
    }
    return data;
}

using SegmentKey = std::tuple<QString, qint64, qint64, QString, int>;

/// What a round trip must preserve: video, frames, label and state of every segment.
inline std::multiset<SegmentKey> segmentKeys(const ProjectData& data, bool includeProposals) {
    std::multiset<SegmentKey> keys;
    for (const VideoEntry& video : data.videos) {
        for (const Segment& segment : video.segments) {
            const bool confirmed =
                segment.state == SegmentState::Accepted || segment.state == SegmentState::Edited;
            if (confirmed || (includeProposals && segment.state == SegmentState::Proposed))
                keys.insert({video.id, segment.startFrame, segment.endFrame, segment.label,
                             static_cast<int>(segment.state == SegmentState::Edited ? SegmentState::Accepted
                                                                                    : segment.state)});
        }
    }
    return keys;
}

/// An independent CSV reader for checking exports (RFC 4180 quoting; no error reporting).
inline QList<QStringList> parseCsv(const QString& text) {
    QList<QStringList> rows;
    QStringList row;
    QString field;
    bool quoted = false;
    for (int i = 0; i < text.size(); ++i) {
        const QChar c = text[i];
        if (quoted) {
            if (c == QLatin1Char('"') && i + 1 < text.size() && text[i + 1] == QLatin1Char('"')) {
                field += c;
                ++i;
            } else if (c == QLatin1Char('"')) {
                quoted = false;
            } else {
                field += c;
            }
        } else if (c == QLatin1Char('"')) {
            quoted = true;
        } else if (c == QLatin1Char(',')) {
            row << field;
            field.clear();
        } else if (c == QLatin1Char('\n')) {
            row << field;
            rows << row;
            row.clear();
            field.clear();
        } else {
            field += c;
        }
    }
    if (!field.isEmpty() || !row.isEmpty())
        rows << (row << field);
    return rows;
}

} // namespace saccade::testing
