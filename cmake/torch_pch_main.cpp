// Anchor translation unit for the executables' torch precompiled header.
int main() { return 0; }
