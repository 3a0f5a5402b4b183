#pragma once

#include "ui/labels/labelspanel.h"

#include <QWidget>

namespace saccade {

/// Horizontal probability bars, one row per class, most probable first.
class TopKView : public QWidget {
    Q_OBJECT
public:
    explicit TopKView(QWidget* parent = nullptr);

    void setScores(const QVector<ClassScore>& scores);
    const QVector<ClassScore>& scores() const { return m_scores; }

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

protected:
    void paintEvent(QPaintEvent* event) override;

private:
    int rowHeight() const;

    QVector<ClassScore> m_scores;
};

} // namespace saccade
