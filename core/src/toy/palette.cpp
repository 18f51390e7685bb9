// Colour tables of the toy world.
#include "toy/palette.h"

#include "invseg/toy_world.h"
#include "toy/scene_layout.h"

namespace invseg::toy {

Rgb thingColour(int colour)
{
    static constexpr Rgb kColours[kNumColours] = {
        {214, 40, 40},   // red
        {245, 140, 30},  // orange
        {248, 218, 45},  // yellow
        {46, 170, 70},   // green
        {40, 90, 225},   // blue
        {140, 62, 185},  // purple
        {245, 135, 190}, // pink
        {242, 242, 238}, // white
        {38, 38, 42},    // black
        {128, 78, 38},   // brown
    };
    return kColours[colour >= 0 && colour < kNumColours ? colour : 0];
}

Rgb stuffReferenceColour(int classId, int style)
{
    switch (static_cast<ClassId>(classId)) {
    case ClassId::Sky:
        switch (static_cast<SkyStyle>(style)) {
        case SkyStyle::Sunset: return {230, 150, 110};
        case SkyStyle::Overcast: return {198, 200, 206}; // its light lower half, so no white star fades into it
        default: return {125, 175, 235};
        }
    case ClassId::Wall:
        switch (static_cast<WallStyle>(style)) {
        case WallStyle::Brick: return {165, 72, 52};
        case WallStyle::Stone: return {135, 135, 140};
        case WallStyle::Plaster: return {226, 212, 180};
        default: return {150, 105, 65};
        }
    case ClassId::Grass: return {78, 156, 62};
    case ClassId::Sand: return {222, 196, 140};
    case ClassId::Water: return {48, 110, 178};
    case ClassId::Road: return {82, 82, 88};
    default: return {128, 128, 128};
    }
}

Rgb labelColour(int classId)
{
    static constexpr Rgb kPalette[] = {
        {0, 0, 0},       // background
        {120, 180, 255}, // sky
        {170, 90, 60},   // wall
        {40, 160, 40},   // grass
        {230, 200, 120}, // sand
        {20, 60, 200},   // water
        {90, 90, 90},    // road
        {255, 0, 0},     // ball
        {255, 140, 0},   // box
        {0, 100, 0},     // tree
        {160, 0, 160},   // house
        {255, 255, 0},   // car
        {255, 255, 255}, // star
        {0, 230, 230},   // boat
    };
    return kPalette[classId >= 0 && classId < kNumClasses ? classId : 0];
}

} // namespace invseg::toy
