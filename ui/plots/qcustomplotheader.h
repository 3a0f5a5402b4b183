#pragma once

// QCustomPlot's header spells Qt's keywords out, which QT_NO_KEYWORDS turns off; map them back for it.
// Include this instead of <qcustomplot.h>.
#define signals Q_SIGNALS
#define foreach Q_FOREACH
#include <qcustomplot.h>
#undef foreach
#undef signals
