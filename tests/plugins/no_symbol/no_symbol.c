/* A perfectly good shared object that is not a Kartoteka plugin: no kt_plugin symbol. */
__attribute__((visibility("default"))) int no_symbol_answer(void);
int no_symbol_answer(void)
{
    return 42;
}
