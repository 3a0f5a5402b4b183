#include "commands.h"

#include "core/annotation/agreement.h"
#include "core/annotation/referenceannotation.h"

#include <QJsonArray>
#include <QJsonObject>

namespace saccade::cli {

namespace {

// Matches at each IoU threshold, keyed "0.10", "0.25", "0.50".
QJsonObject matchesJson(const std::array<SegmentMatchCounts, 3>& matches) {
    QJsonObject f1;
    for (size_t k = 0; k < SegmentMetrics::kIouThresholds.size(); ++k) {
        const SegmentMatchCounts& counts = matches[k];
        f1.insert(QString::number(SegmentMetrics::kIouThresholds[k], 'f', 2),
                  QJsonObject{{QStringLiteral("f1"), counts.f1()},
                              {QStringLiteral("precision"), counts.precision()},
                              {QStringLiteral("recall"), counts.recall()},
                              {QStringLiteral("true_positives"), counts.truePositives},
                              {QStringLiteral("false_positives"), counts.falsePositives},
                              {QStringLiteral("false_negatives"), counts.falseNegatives}});
    }
    return f1;
}

} // namespace

int runAgreement(CliContext& context) {
    const QString command = QStringLiteral("agreement");
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Agreement of two annotations of the same videos, A the reference: frame accuracy, Cohen's kappa "
        "(overall and per label), segment F1 at IoU 0.10/0.25/0.50, edit score and the median boundary "
        "error in frames (accepted and edited segments; see README, Segment metrics)."));
    parser.addPositionalArgument(QStringLiteral("A"),
                                 QStringLiteral("Reference: a project, or a truth file of the synthetic "
                                                "generator (saccade-cli demo-video --truth)."));
    parser.addPositionalArgument(QStringLiteral("B"), QStringLiteral("Project compared with A."));
    parser.addOption({QStringLiteral("json"), QStringLiteral("Print JSON.")});
    parser.addOption({QStringLiteral("include-proposals"), QStringLiteral("Count model proposals too.")});
    parser.addOption(
        {QStringLiteral("labels"),
         QStringLiteral("Compare only these labels (comma-separated); segments of the others read "
                        "as no label."),
         QStringLiteral("names")});
    if (!parseArguments(parser, command, context))
        return parser.isSet(QStringLiteral("help")) ? kExitOk : kExitUsage;
    if (parser.positionalArguments().size() != 2)
        return reportUsage(command, QStringLiteral("expected two projects A and B"));
    auto a = ReferenceAnnotation::load(parser.positionalArguments()[0]);
    if (!a)
        return reportError(a.error());
    auto b = ReferenceAnnotation::load(parser.positionalArguments()[1]);
    if (!b)
        return reportError(b.error());
    QStringList onlyLabels;
    for (const QString& label : parser.value(QStringLiteral("labels")).split(QLatin1Char(',')))
        if (!label.trimmed().isEmpty())
            onlyLabels << label.trimmed();
    auto report = Agreement::compare(*a, *b, parser.isSet(QStringLiteral("include-proposals")), onlyLabels);
    if (!report)
        return reportError(report.error());
    if (parser.isSet(QStringLiteral("json"))) {
        QJsonArray labels;
        for (const LabelAgreement& label : report->perLabel)
            labels.append(QJsonObject{{QStringLiteral("label"), label.label},
                                      {QStringLiteral("kappa"), label.kappa},
                                      {QStringLiteral("frames_a"), label.framesA},
                                      {QStringLiteral("frames_b"), label.framesB},
                                      {QStringLiteral("segment_f1"), matchesJson(label.segmentMatches)}});
        const QJsonObject f1 = matchesJson(report->segmentMatches);
        printJson(QJsonDocument(QJsonObject{
            {QStringLiteral("frame_accuracy"), report->frameAccuracy()},
            {QStringLiteral("kappa"), report->kappa},
            {QStringLiteral("observed_agreement"), report->observedAgreement},
            {QStringLiteral("segment_f1"), f1},
            {QStringLiteral("edit_score"), report->editScore},
            {QStringLiteral("median_boundary_error_frames"), report->medianBoundaryError},
            {QStringLiteral("boundaries_matched"), report->boundariesMatched},
            {QStringLiteral("segments_a"), report->segmentsA},
            {QStringLiteral("segments_b"), report->segmentsB},
            {QStringLiteral("frames"), report->frames},
            {QStringLiteral("videos_compared"), report->videosCompared},
            {QStringLiteral("unmatched_videos"), QJsonArray::fromStringList(report->unmatchedVideos)},
            {QStringLiteral("labels"), labels}}));
        return kExitOk;
    }
    printLine(QStringLiteral("frame accuracy %1, kappa %2 over %3 frames of %4 videos")
                  .arg(report->frameAccuracy(), 0, 'f', 4)
                  .arg(report->kappa, 0, 'f', 4)
                  .arg(report->frames)
                  .arg(report->videosCompared));
    QStringList f1;
    for (size_t k = 0; k < SegmentMetrics::kIouThresholds.size(); ++k)
        f1 << QStringLiteral("F1@%1 %2")
                  .arg(SegmentMetrics::kIouThresholds[k], 0, 'f', 2)
                  .arg(report->segmentMatches[k].f1(), 0, 'f', 4);
    printLine(QStringLiteral("segments: %1 (%2 in A, %3 in B), edit score %4, median boundary error %5")
                  .arg(f1.join(QStringLiteral(", ")))
                  .arg(report->segmentsA)
                  .arg(report->segmentsB)
                  .arg(report->editScore, 0, 'f', 2)
                  .arg(report->medianBoundaryError < 0
                           ? QStringLiteral("n/a")
                           : QStringLiteral("%1 frames").arg(report->medianBoundaryError)));
    for (const LabelAgreement& label : report->perLabel) {
        const SegmentMatchCounts& counts = label.segmentMatches.back();
        printLine(
            QStringLiteral("  %1  kappa %2  (%3 / %4 frames)  F1@0.50 %5, recall %6 (%7 of %8 segments)")
                .arg(label.label)
                .arg(label.kappa, 0, 'f', 4)
                .arg(label.framesA)
                .arg(label.framesB)
                .arg(counts.f1(), 0, 'f', 4)
                .arg(counts.recall(), 0, 'f', 4)
                .arg(counts.truePositives)
                .arg(counts.truePositives + counts.falseNegatives));
    }

    if (!report->unmatchedVideos.isEmpty())
        printLine(QStringLiteral("not in B: %1").arg(report->unmatchedVideos.join(QStringLiteral(", "))));
    return kExitOk;
}

} // namespace saccade::cli
