// GoogleTest main for the UI tests: one QApplication for all tests, offscreen unless told otherwise.
#include <QApplication>

#include <gtest/gtest.h>

int main(int argc, char** argv)
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("InvSegTests"));
    QApplication::setApplicationName(QStringLiteral("invseg_test_ui"));
    ::testing::InitGoogleTest(&argc, argv);
    return RUN_ALL_TESTS();
}
