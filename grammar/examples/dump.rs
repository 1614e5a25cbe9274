fn main() {
    let src = std::env::args().nth(1).unwrap();
    match vtl_grammar::parse(&src, Default::default()) {
        Ok(n) => println!("{n:#?}"),
        Err(e) => println!("ERR {e:?}"),
    }
}
