// invseg: the command-line front end of the engine.
#include "cli.h"

int main(int argc, char** argv)
{
    return invseg::cli::run(argc, argv);
}
