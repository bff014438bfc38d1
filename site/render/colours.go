package render

// ProcessColours is the number of process colours in the stylesheet
// (.c0 to .c7); chapters.Legend picks one for each process.
const ProcessColours = 8
